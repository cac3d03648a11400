/**
 * Spring Boot 4 auto-configuration for Followup: the engine, its JDBC store on the application's
 * DataSource, the Twilio and SMTP senders, the scheduler that runs due work, the Twilio webhook
 * endpoints, an actuator health indicator and Micrometer meters. Configure with
 * {@link dev.followup.spring.FollowUpProperties followup.*}; replace any bean by declaring your own;
 * adjust the engine with {@link dev.followup.spring.FollowUpEngineCustomizer} beans.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.spring;

import org.jspecify.annotations.NullMarked;
