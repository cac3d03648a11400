package dev.followup.spring;

import static dev.followup.spring.TestProperties.basic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.spi.EngineListener;
import dev.followup.spi.FollowUpStore;
import dev.followup.spring.internal.EngineHealthIndicator;
import dev.followup.spring.internal.EngineScheduler;
import dev.followup.spring.internal.MicrometerEngineListener;
import dev.followup.spring.internal.TwilioWebhookController;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.twilio.TwilioWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/** Conditions of the webhook, health and metrics auto-configurations. */
class FollowUpWebAndActuatorAutoConfigurationTest {
    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class);
    private final ApplicationContextRunner plain = new ApplicationContextRunner()
            .withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class);

    @Test
    void webhookEndpointsInAServletApplicationWithATwilioAccount() {
        web.withPropertyValues(basic(TestProperties.TWILIO)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TwilioWebhookController.class);
        });
    }

    @Test
    void noWebhookEndpointsWithoutTwilioOrMvcOrAServletApplicationOrWhenSwitchedOff() {
        web.withPropertyValues(basic()).run(context -> assertThat(context).doesNotHaveBean(TwilioWebhookController.class));
        plain.withPropertyValues(basic(TestProperties.TWILIO)).run(context -> {
            assertThat(context).hasSingleBean(TwilioWebhooks.class).doesNotHaveBean(TwilioWebhookController.class);
        });
        web.withPropertyValues(basic(TestProperties.TWILIO)).withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TwilioWebhookController.class));
        web.withPropertyValues(basic(TestProperties.TWILIO)).withPropertyValues("followup.twilio.webhooks-enabled=false")
                .run(context -> assertThat(context).hasSingleBean(TwilioWebhooks.class).doesNotHaveBean(TwilioWebhookController.class));
        web.withPropertyValues(basic(TestProperties.TWILIO)).withPropertyValues("followup.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TwilioWebhookController.class));
    }

    @Test
    void anApplicationControllerNamedLikeOursReplacesIt() {
        Object mine = new Object();
        web.withPropertyValues(basic(TestProperties.TWILIO)).withBean("followUpTwilioWebhookController", Object.class, () -> mine)
                .run(context -> assertThat(context).doesNotHaveBean(TwilioWebhookController.class));
    }

    @Test
    void theHealthIndicatorIsUpWithDetailsAndCanBeSwitchedOffOrReplaced() {
        plain.withPropertyValues(basic()).run(context -> {
            assertThat(context).hasSingleBean(EngineHealthIndicator.class);
            Health health = context.getBean("followupHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("store", "reachable").containsEntry("oldestOverdueSeconds", 0L)
                    .containsEntry("practices", 1).containsEntry("smsSender", false)
                    .containsEntry("practicesWithoutSender", List.of("lakeside"));
        });
        plain.withPropertyValues(basic("management.health.followup.enabled=false"))
                .run(context -> assertThat(context).doesNotHaveBean(EngineHealthIndicator.class));
        plain.withPropertyValues(basic()).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EngineHealthIndicator.class));
        HealthIndicator mine = () -> Health.up().build();
        plain.withPropertyValues(basic()).withBean("followupHealthIndicator", HealthIndicator.class, () -> mine)
                .run(context -> assertThat(context).doesNotHaveBean(EngineHealthIndicator.class));
    }

    @Test
    void theHealthIndicatorTakesOnlyTheEngineSchedulerNotEveryLifecycleOfTheApplication() {
        // A lifecycle of the application's own that needs the indicator: an indicator that looked
        // through every SmartLifecycle for the scheduler would need it in turn, a dependency cycle.
        plain.withPropertyValues(TestProperties.PRACTICE).withUserConfiguration(HealthWatcher.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EngineScheduler.class);
            Health health = context.getBean("followupHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getDetails()).containsEntry("scheduler", "running").containsEntry("workers", 4);
            assertThat(context.getBean(HealthWatcher.Watcher.class).isRunning()).isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class HealthWatcher {
        @Bean
        Watcher healthWatcher(@Qualifier("followupHealthIndicator") HealthIndicator followup) {
            return new Watcher(followup);
        }

        /** Started with the context; would report the indicator's status somewhere. */
        static final class Watcher implements SmartLifecycle {
            private final HealthIndicator indicator;
            private volatile boolean running;

            Watcher(HealthIndicator indicator) {
                this.indicator = indicator;
            }

            @Override
            public void start() {
                running = indicator != null;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        }
    }

    @Test
    void theHealthIsDownWhenTheStoreCannotBeReached() {
        FollowUpStore broken = new FollowUpStore() {
            @Override
            public <T> T inTransaction(dev.followup.practice.PracticeId practiceId, Function<dev.followup.spi.PracticeTransaction, T> work) {
                throw new dev.followup.StorageException("database down");
            }

            @Override
            public List<dev.followup.spi.Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                return List.of();
            }

            @Override
            public Optional<Instant> oldestDue(Instant now) {
                throw new dev.followup.StorageException("database down");
            }
        };
        new ApplicationContextRunner().withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(FollowUpStore.class, () -> broken)
                .withPropertyValues(basic()).run(context -> {
                    Health health = context.getBean("followupHealthIndicator", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("store", "unreachable").containsEntry("error", "StorageException");
                });
    }

    @Test
    void metersWhenMicrometerAndARegistryArePresent() {
        plain.withPropertyValues(basic()).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(MicrometerEngineListener.class);
            assertThat(context.getBean(EngineListener.class)).isInstanceOf(MicrometerEngineListener.class);
        });
        plain.withPropertyValues(basic()).run(context -> assertThat(context).doesNotHaveBean(EngineListener.class));
        plain.withPropertyValues(basic()).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerEngineListener.class));
    }

    @Test
    void metersCarryThePracticeTagUnlessSwitchedOff() {
        plain.withPropertyValues(basic("followup.metrics.practice-tag=false")).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    EngineListener listener = context.getBean(EngineListener.class);
                    listener.taskOpened(dev.followup.practice.PracticeId.of("lakeside"), dev.followup.task.TaskKind.CALL_PATIENT);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("followup.tasks.opened").counter().getId().getTag("practice")).isNull();
                    assertThat(registry.get("followup.tasks.opened").counter().getId().getTag("kind")).isEqualTo("call_patient");
                    assertThat(context.getBean(FollowUpEngine.class)).isNotNull();
                });
    }
}
