/**
 * A Spring Boot application with the Followup starter: {@link dev.followup.examples.boot.FollowUpApplication}
 * starts with one command on the embedded H2 database, with sandbox SMS and email senders, loads
 * the sample lists of three practices and serves Twilio's webhooks.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.examples.boot;

import org.jspecify.annotations.NullMarked;
