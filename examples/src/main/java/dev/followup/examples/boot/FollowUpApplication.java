package dev.followup.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with the Followup starter, as a vendor would start one: the starter
 * builds the engine on the embedded H2 database from {@code application.properties}, runs its due
 * work on a schedule and serves Twilio's webhooks; this application adds only what is its own —
 * sandbox SMS and email senders (no credentials, nothing leaves the machine), a scheduling system
 * for open slots, and the sample patient lists of three practices, loaded at start-up.
 *
 * <p>Run it with {@code mvn -q -B -pl examples -am -DskipTests -Pboot package exec:java}; it
 * listens on port 8080 ({@code /twilio/inbound/{practiceId}}, {@code /actuator/health}, and, demo only
 * without a login, the report and task board pages {@code /followup/practices/{practiceId}/report}
 * and {@code .../tasks}: see {@link DemoWebAccess}).
 */
@SpringBootApplication
public class FollowUpApplication {

    /** Created by Spring. */
    public FollowUpApplication() {}

    /**
     * @param args Spring Boot arguments, e.g. {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(FollowUpApplication.class, args);
    }
}
