package dev.followup.examples.boot;

import dev.followup.FollowUpEngine;
import dev.followup.practice.PracticeId;
import dev.followup.spring.FollowUpWebUser;
import dev.followup.web.PracticeAccess;
import java.security.Principal;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * DEMO ONLY: lets the report and task board pages be opened without signing in. This example has
 * no login, so every request without a principal is taken to be one fixed demo user
 * ({@code followup-example.demo-user}), and that user may see every practice of the example. A
 * real application signs its users in (e.g. Spring Security) and implements {@link PracticeAccess}
 * from its own user model, e.g. {@code (user, practice) -> directory.practicesOf(user).contains(practice.value())};
 * never deploy an access hook like this one in front of real patient data.
 *
 * <p>Without {@code followup-example.demo-user} this configuration is off, there is no
 * {@link PracticeAccess} bean, and the starter serves no pages at all (its default is to deny).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "followup-example.demo-user")
public class DemoWebAccess {
    private static final Logger LOG = LoggerFactory.getLogger(DemoWebAccess.class);

    /** Created by Spring. */
    public DemoWebAccess() {}

    /**
     * @param demoUser the fixed user id of the demo
     * @return the request's principal name if there is one, else the demo user: DEMO ONLY
     */
    @Bean
    public FollowUpWebUser demoWebUser(@Value("${followup-example.demo-user}") String demoUser) {
        LOG.warn("DEMO ONLY: the report and task board pages are open to anyone who can reach this application, as user '{}'", demoUser);
        return request -> {
            Principal principal = request.getUserPrincipal();
            return principal != null ? principal.getName() : demoUser;
        };
    }

    /**
     * @param demoUser the fixed user id of the demo
     * @param engine the engine, for the example's practices
     * @return the demo user may see the example's practices; nobody else sees anything
     */
    @Bean
    public PracticeAccess demoPracticeAccess(@Value("${followup-example.demo-user}") String demoUser, FollowUpEngine engine) {
        Set<PracticeId> practices = engine.practices().stream().map(p -> p.id()).collect(Collectors.toUnmodifiableSet());
        return (user, practice) -> user.equals(demoUser) && practices.contains(practice);
    }
}
