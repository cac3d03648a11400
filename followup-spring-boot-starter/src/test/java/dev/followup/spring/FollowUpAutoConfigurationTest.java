package dev.followup.spring;

import static dev.followup.spring.TestProperties.basic;
import static dev.followup.spring.TestProperties.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.email.JakartaMailEmailSender;
import dev.followup.jdbc.ConfiguredKeyProvider;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Steps;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EmailSender;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.KeyProvider;
import dev.followup.spi.SmsSender;
import dev.followup.spring.internal.ConfiguredPractices;
import dev.followup.spring.internal.EngineScheduler;
import dev.followup.task.TaskKind;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import dev.followup.twilio.TwilioSmsSender;
import dev.followup.twilio.TwilioWebhooks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every condition of the core, JDBC, Twilio, email and scheduling auto-configurations. */
@ExtendWith(OutputCaptureExtension.class)
class FollowUpAutoConfigurationTest {
    static final AutoConfigurations ALL = AutoConfigurations.of(DataSourceAutoConfiguration.class, FollowUpJdbcAutoConfiguration.class,
            FollowUpTwilioAutoConfiguration.class, FollowUpEmailAutoConfiguration.class, FollowUpMetricsAutoConfiguration.class,
            FollowUpAutoConfiguration.class, FollowUpSchedulingAutoConfiguration.class, FollowUpWebhookAutoConfiguration.class, FollowUpWebPagesAutoConfiguration.class,
            FollowUpHealthAutoConfiguration.class);

    /** With Boot's DataSource auto-configuration: an embedded H2 of its own for every context. */
    private final ApplicationContextRunner withDatabase = new ApplicationContextRunner().withConfiguration(ALL);

    /** With a store bean of the application's own: no database, no keys needed. */
    private final ApplicationContextRunner withStore = new ApplicationContextRunner().withConfiguration(ALL)
            .withBean(InMemoryFollowUpStore.class);

    @Test
    void onTheApplicationsDataSourceTheStoreIsJdbiWithItsSchemaMigratedAndKeysFromProperties() {
        withDatabase.withPropertyValues(basic()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(FollowUpEngine.class).hasSingleBean(JdbiFollowUpStore.class)
                    .hasSingleBean(Clock.class);
            assertThat(context.getBean(KeyProvider.class)).isInstanceOf(ConfiguredKeyProvider.class);
            assertThat(((ConfiguredKeyProvider) context.getBean(KeyProvider.class)).keyIds()).containsExactlyInAnyOrder("k1", "lookup");
            assertThat(context.getBean(KeyProvider.class).currentKey().id()).isEqualTo("k1");
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"followup_schema_history\" WHERE \"success\"", Integer.class)).isPositive();
            assertThat(context.getBean(FollowUpEngine.class).practices()).extracting(p -> p.id().value()).containsExactly("lakeside");
            // No provider is configured: no sender, no webhooks, and the engine says so.
            assertThat(context).doesNotHaveBean(SmsSender.class).doesNotHaveBean(EmailSender.class).doesNotHaveBean(TwilioWebhooks.class);
            assertThat(context.getBean(FollowUpEngine.class).health().practicesWithoutSender()).containsExactly(PracticeId.of("lakeside"));
        });
    }

    @Test
    void migrationsCanBeLeftToTheApplication() {
        withDatabase.withPropertyValues(basic("followup.jdbc.migrate=false")).run(context -> {
            assertThat(context).hasSingleBean(JdbiFollowUpStore.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'followup_schema_history'",
                    Integer.class)).isZero();
        });
    }

    @Test
    void followupEnabledFalseSwitchesEverythingOff() {
        withDatabase.withPropertyValues(join(basic(TestProperties.TWILIO), "followup.enabled=false", "spring.mail.host=smtp.example.test"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(FollowUpEngine.class).doesNotHaveBean(FollowUpStore.class)
                            .doesNotHaveBean(KeyProvider.class).doesNotHaveBean(Clock.class).doesNotHaveBean(SmsSender.class)
                            .doesNotHaveBean(EmailSender.class).doesNotHaveBean(TwilioWebhooks.class).doesNotHaveBean(EngineScheduler.class)
                            .doesNotHaveBean(FollowUpProperties.class);
                });
    }

    @Test
    void withoutKeysTheApplicationDoesNotStartAndSaysWhatToSet() {
        withDatabase.withPropertyValues(TestProperties.PRACTICE).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("followup.encryption.keys.lookup").hasMessageContaining("allow-ephemeral-keys");
        });
    }

    @Test
    void ephemeralKeysOnlyWhenAllowedAndThenWithAWarning(CapturedOutput output) {
        withDatabase.withPropertyValues(join(TestProperties.PRACTICE, "followup.encryption.allow-ephemeral-keys=true",
                "followup.engine.scheduler-enabled=false")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JdbiFollowUpStore.class);
                    assertThat(output).contains("allow-ephemeral-keys=true").contains("Nothing written now can be read after a restart");
                });
    }

    @Test
    void keysMustIncludeTheLookupKeyAndNameTheCurrentOne() {
        withDatabase.withPropertyValues(join(TestProperties.PRACTICE, "followup.encryption.keys.k1=" + TestProperties.key(1)))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.encryption.keys.lookup is missing"));
        withDatabase.withPropertyValues(join(TestProperties.PRACTICE, "followup.encryption.keys.k1=" + TestProperties.key(1),
                "followup.encryption.keys.k2=" + TestProperties.key(3), "followup.encryption.keys.lookup=" + TestProperties.key(2)))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.encryption.current-key"));
    }

    @Test
    void withoutADataSourceOrAStoreTheEngineExplainsWhatItNeeds() {
        new ApplicationContextRunner().withConfiguration(ALL).withClassLoader(new FilteredClassLoader("com.zaxxer.hikari", "org.h2"))
                .withPropertyValues(basic()).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("needs a FollowUpStore");
                });
    }

    @Test
    void anApplicationStoreReplacesTheJdbcStoreAndNeedsNoKeys() {
        withStore.withPropertyValues(join(TestProperties.PRACTICE, "followup.engine.scheduler-enabled=false")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(FollowUpStore.class).doesNotHaveBean(JdbiFollowUpStore.class).doesNotHaveBean(KeyProvider.class);
            assertThat(context.getBean(FollowUpStore.class)).isInstanceOf(InMemoryFollowUpStore.class);
        });
    }

    @Test
    void applicationBeansReplaceTheStartersClockKeysSendersAndEngine() {
        MutableClock clock = MutableClock.at("2026-03-02T17:00:00Z");
        KeyProvider keys = ConfiguredKeyProvider.of("mine", java.util.Map.of("mine", TestProperties.key(7), "lookup", TestProperties.key(8)));
        withDatabase.withPropertyValues(basic(TestProperties.TWILIO)).withPropertyValues("spring.mail.host=smtp.example.test")
                .withBean(Clock.class, () -> clock).withBean(KeyProvider.class, () -> keys)
                .withBean(InMemorySmsSender.class).withBean(InMemoryEmailSender.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Clock.class)).isSameAs(clock);
                    assertThat(context.getBean(KeyProvider.class)).isSameAs(keys);
                    assertThat(context).hasSingleBean(SmsSender.class).doesNotHaveBean(TwilioSmsSender.class);
                    assertThat(context).hasSingleBean(EmailSender.class).doesNotHaveBean(JakartaMailEmailSender.class);
                    // The webhooks still come from the Twilio account, whoever sends.
                    assertThat(context).hasSingleBean(TwilioWebhooks.class);
                    assertThat(context.getBean(FollowUpEngine.class).health().checkedAt()).isEqualTo(clock.instant());
                });
        FollowUpEngine mine = FollowUpEngine.builder().store(new InMemoryFollowUpStore()).practice(Practice.builder(PracticeId.of("mine"))
                .name("Mine").callbackPhone("1").timeZone("UTC").smsFrom("+15555550100").build()).build();
        withStore.withPropertyValues(basic()).withBean(FollowUpEngine.class, () -> mine)
                .run(context -> assertThat(context.getBean(FollowUpEngine.class)).isSameAs(mine));
    }

    @Test
    void twilioSenderAndWebhooksWhenAnAccountIsConfigured() {
        withStore.withPropertyValues(basic(TestProperties.TWILIO)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TwilioSmsSender.class).hasSingleBean(TwilioWebhooks.class);
            assertThat(context.getBean(FollowUpEngine.class).health().smsSender()).isTrue();
        });
        withStore.withPropertyValues(basic("followup.twilio.accounts.lakeside.account-sid=" + TestProperties.ACCOUNT_SID,
                "followup.twilio.accounts.lakeside.auth-token=" + TestProperties.AUTH_TOKEN))
                .run(context -> assertThat(context).hasSingleBean(TwilioSmsSender.class));
        withStore.withPropertyValues(basic("followup.twilio.public-base-url=https://x.example.test"))
                .run(context -> assertThat(context).doesNotHaveBean(SmsSender.class).doesNotHaveBean(TwilioWebhooks.class));
    }

    @Test
    void noTwilioBeansWithoutTheTwilioModuleOnTheClassPath() {
        withStore.withPropertyValues(basic(TestProperties.TWILIO)).withClassLoader(new FilteredClassLoader(TwilioSmsSender.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(SmsSender.class).doesNotHaveBean(TwilioWebhooks.class);
                    assertThat(context).hasSingleBean(FollowUpEngine.class);
                });
        withStore.withPropertyValues(basic(TestProperties.TWILIO)).withClassLoader(new FilteredClassLoader("com.twilio"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SmsSender.class));
    }

    @Test
    void aTextingPracticeAddedByACustomizerWithoutATwilioAccountStopsTheStartNamingItAndTheProperty() {
        FollowUpEngineCustomizer addsHarbor = builder -> builder.practice(Practice.builder(PracticeId.of("harbor-pt")).name("Harbor PT")
                .callbackPhone("(213) 555-0199").timeZone("America/Los_Angeles").smsFrom("+12135550190").build());
        String[] lakesideOnly = {"followup.twilio.accounts.lakeside.account-sid=" + TestProperties.ACCOUNT_SID,
            "followup.twilio.accounts.lakeside.auth-token=" + TestProperties.AUTH_TOKEN};
        withStore.withPropertyValues(basic(lakesideOnly)).withBean(FollowUpEngineCustomizer.class, () -> addsHarbor).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("harbor-pt").hasMessageContaining("followup.twilio.accounts.harbor-pt.account-sid")
                    .hasMessageNotContaining(TestProperties.AUTH_TOKEN);
        });
        // Its own account, or the default one, and it starts.
        withStore.withPropertyValues(basic(lakesideOnly)).withPropertyValues(
                "followup.twilio.accounts.harbor-pt.account-sid=" + TestProperties.ACCOUNT_SID,
                "followup.twilio.accounts.harbor-pt.auth-token=" + TestProperties.AUTH_TOKEN)
                .withBean(FollowUpEngineCustomizer.class, () -> addsHarbor).run(context -> assertThat(context).hasNotFailed());
        withStore.withPropertyValues(basic(TestProperties.TWILIO)).withBean(FollowUpEngineCustomizer.class, () -> addsHarbor)
                .run(context -> assertThat(context).hasNotFailed());
        // The application's own sender may serve it without Twilio: no complaint then.
        withStore.withPropertyValues(basic(lakesideOnly)).withBean(FollowUpEngineCustomizer.class, () -> addsHarbor)
                .withBean(InMemorySmsSender.class).run(context -> assertThat(context).hasNotFailed().hasSingleBean(TwilioWebhooks.class));
    }

    @Test
    void anIncompleteTwilioAccountFailsNamingTheProperty() {
        withStore.withPropertyValues(basic("followup.twilio.account-sid=AC123")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.twilio");
        });
    }

    @Test
    void emailSenderWhenSpringMailOrFollowupEmailNamesAHost() {
        withStore.withPropertyValues(basic("spring.mail.host=smtp.example.test", "spring.mail.username=outreach",
                "spring.mail.password=secret")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JakartaMailEmailSender.class);
                    assertThat(context.getBean(FollowUpEngine.class).health().emailSender()).isTrue();
                });
        withStore.withPropertyValues(basic("followup.email.host=smtp.example.test", "followup.email.security=smtps"))
                .run(context -> assertThat(context).hasSingleBean(JakartaMailEmailSender.class));
        withStore.withPropertyValues(basic()).run(context -> assertThat(context).doesNotHaveBean(EmailSender.class));
        withStore.withPropertyValues(basic("spring.mail.host=smtp.example.test"))
                .withClassLoader(new FilteredClassLoader(JakartaMailEmailSender.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EmailSender.class));
    }

    @Test
    void aPracticeWithoutItsOwnEmailFromSendsItsEmailAsTheSharedFromAddress() {
        MutableClock clock = MutableClock.at("2026-03-02T17:00:00Z"); // Monday 11:00 in Chicago, inside the send window
        InMemoryEmailSender email = new InMemoryEmailSender();
        withStore.withBean(Clock.class, () -> clock).withBean(InMemoryEmailSender.class, () -> email)
                .withPropertyValues(basic("followup.practices[0].email-from=", "followup.email.from-address=outreach@lakeside.example",
                        "followup.policies.mail.steps[0].email=reminder", "followup.policies.mail.steps[1].after=24h",
                        "followup.policies.mail.steps[1].staff-task=call-patient", "followup.practices[0].default-policy=mail"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FollowUpEngine engine = context.getBean(FollowUpEngine.class);
                    engine.ingest(PracticeId.of("lakeside"), new ByteArrayInputStream(("MRN,First Name,Last Name,Email,Provider,Follow-Up Type\n"
                            + "M-1,Test,Patient,test.patient@patients.example,Dr. Example,annual\n").getBytes(StandardCharsets.UTF_8)), null);

                    assertThat(engine.runDueWork().messagesSent()).isEqualTo(1);
                    assertThat(email.sent()).singleElement().satisfies(sent -> assertThat(sent.from()).isEqualTo("outreach@lakeside.example"));
                });
    }

    @Test
    void whenTheStarterSendsEmailAPracticeWhosePolicyEmailsWithoutAFromStopsTheStartNamingIt() {
        String[] smtp = {"followup.email.host=smtp.example.test", "followup.practices[0].email-from="};
        withStore.withPropertyValues(basic(smtp)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("practice lakeside runs policy 'standard'").hasMessageContaining("followup.email.from-address");
        });
        // The shared From fills in for the practice's own.
        withStore.withPropertyValues(basic(smtp)).withPropertyValues("followup.email.from-address=outreach@lakeside.example").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FollowUpEngine.class).practices()).singleElement()
                    .satisfies(p -> assertThat(p.emailFrom()).isEqualTo("outreach@lakeside.example"));
        });
        // A Practice bean is the application's own: the shared From does not change it, so it must have a From itself.
        Practice harbor = Practice.builder(PracticeId.of("harbor-pt")).name("Harbor PT").callbackPhone("(213) 555-0199")
                .timeZone("America/Los_Angeles").smsFrom("+12135550190").build();
        withStore.withPropertyValues(basic(smtp)).withPropertyValues("followup.email.from-address=outreach@lakeside.example")
                .withBean(Practice.class, () -> harbor).run(context ->
                        assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("practice harbor-pt runs policy 'standard'"));
        // So is one a customizer adds: the engine, not the starter, knows every practice's policies.
        FollowUpEngineCustomizer addsHarbor = builder -> builder.practice(harbor);
        withStore.withPropertyValues(basic(smtp)).withPropertyValues("followup.email.from-address=outreach@lakeside.example")
                .withBean(FollowUpEngineCustomizer.class, () -> addsHarbor).run(context ->
                        assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("practice harbor-pt runs policy 'standard'"));
        // A practice that does not email runs a policy without an email step.
        withStore.withPropertyValues(basic(smtp)).withPropertyValues("followup.policies.texts.steps[0].sms=invite",
                "followup.policies.texts.close-after=24h", "followup.practices[0].default-policy=texts")
                .run(context -> assertThat(context).hasNotFailed());
        // No check without the starter's sender: with none the practice emails nobody anyway, as configured.
        withStore.withPropertyValues(basic("followup.practices[0].email-from=")).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void unencryptedSmtpIsRefusedUnlessAllowedForTesting() {
        withStore.withPropertyValues(basic("followup.email.host=localhost", "followup.email.security=plain-insecure")).run(context ->
                assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("allow-insecure-for-testing"));
        withStore.withPropertyValues(basic("followup.email.host=localhost", "followup.email.security=plain-insecure",
                "followup.email.allow-insecure-for-testing=true")).run(context -> assertThat(context).hasSingleBean(EmailSender.class));
    }

    @Test
    void policiesFromPropertiesGoThroughTheDslAndPracticesUseThem() {
        withStore.withPropertyValues(basic(
                "followup.policies.gentle.steps[0].sms=invite",
                "followup.policies.gentle.steps[1].after=48h",
                "followup.policies.gentle.steps[1].sms=invite",
                "followup.policies.gentle.close-after=72h",
                "followup.policies.gentle.within=4h",
                "followup.policies.gentle.on-yes.staff-task=schedule-manually",
                "followup.practices[0].default-policy=gentle",
                "followup.practices[0].policies-by-type.post-op=standard")).run(context -> {
                    assertThat(context).hasNotFailed();
                    // The engine was built, so the practice's policy names resolved; the DSL's result is checked by the mapping test.
                    assertThat(context).hasSingleBean(FollowUpEngine.class);
                });
    }

    @Test
    void anInvalidPolicyOrPracticeFailsNamingTheProperty() {
        withStore.withPropertyValues(basic("followup.policies.gentle.steps[0].sms=invite", "followup.policies.gentle.steps[1].email=reminder"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.policies.gentle.steps[1].after"));
        withStore.withPropertyValues(basic("followup.practices[0].default-policy=missing"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("'missing'"));
        withStore.withPropertyValues(basic("followup.practices[1].id=second", "followup.practices[1].name=Second"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.practices[1].time-zone"));
        withStore.withPropertyValues(basic("followup.practices[0].send-window.start=07:00"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.practices[0]")
                        .hasMessageContaining("quiet hours"));
    }

    @Test
    void propertyPracticesAreConvertedOnceAndTheEngineServesThoseVeryObjects() {
        withStore.withPropertyValues(basic(TestProperties.TWILIO)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ConfiguredPractices.class);
            Practice converted = context.getBean(ConfiguredPractices.class).practices().get(0);
            assertThat(converted.id()).isEqualTo(PracticeId.of("lakeside"));
            // The same object, not an equal one: the engine did not convert the properties again.
            assertThat(context.getBean(FollowUpEngine.class).practices()).singleElement().isSameAs(converted);
        });
    }

    @Test
    void practiceAndPolicyBeansJoinThoseFromPropertiesAndCustomizersRunLast() {
        List<String> seen = new ArrayList<>();
        Practice harbor = Practice.builder(PracticeId.of("harbor-pt")).name("Harbor PT").callbackPhone("(213) 555-0199")
                .timeZone("America/Los_Angeles").emailFrom("front@harbor.example").build();
        EscalationPolicy emailOnly = EscalationPolicy.named("email-only").first(Steps.email("reminder"))
                .ifNoReplyWithin(Duration.ofHours(24)).then(Steps.staffTask(TaskKind.CALL_PATIENT)).build();
        withStore.withPropertyValues(basic("followup.policies.gentle.steps[0].sms=invite", "followup.policies.gentle.close-after=24h"))
                .withBean(Practice.class, () -> harbor).withBean(EscalationPolicy.class, () -> emailOnly)
                .withBean(FollowUpEngineCustomizer.class, () -> builder -> {
                    seen.add("customizer");
                    // Applied after properties and beans: re-adding a configured policy is refused by the builder.
                    try {
                        builder.policy(EscalationPolicy.from(EscalationPolicy.standard()).named("gentle").build());
                    } catch (InvalidConfigurationException e) {
                        seen.add("gentle already added");
                    }
                    builder.practice(Practice.builder(PracticeId.of("from-customizer")).name("C").callbackPhone("1").timeZone("UTC")
                            .smsFrom("+15555550101").build());
                }).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(FollowUpEngine.class).practices()).extracting(p -> p.id().value())
                            .containsExactlyInAnyOrder("lakeside", "harbor-pt", "from-customizer");
                    assertThat(seen).containsExactly("customizer", "gentle already added");
                });
    }

    @Test
    void engineSettingsFromPropertiesAreCheckedByTheBuilder() {
        withStore.withPropertyValues(basic("followup.engine.batch-size=0"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("batch size"));
        withStore.withPropertyValues(basic("followup.engine.node-id=node 1"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("node id"));
        withStore.withPropertyValues(basic("followup.engine.provider-redaction-tries=0"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("provider redaction tries"));
        withStore.withPropertyValues(basic("followup.engine.provider-redaction-tries=12")).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theSchedulerRunsUnlessSwitchedOff() {
        withStore.withPropertyValues(join(TestProperties.PRACTICE, "followup.engine.poll-interval=1h")).run(context -> {
            assertThat(context).hasSingleBean(EngineScheduler.class);
            assertThat(context.getBean(EngineScheduler.class).isRunning()).isTrue();
            assertThat(context.getBean(EngineScheduler.class).workers()).isEqualTo(4);
        });
        withStore.withPropertyValues(basic()).run(context -> assertThat(context).doesNotHaveBean(EngineScheduler.class));
        withStore.withPropertyValues(join(TestProperties.PRACTICE, "followup.engine.poll-interval=0s"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("poll-interval"));
        withStore.withPropertyValues(join(TestProperties.PRACTICE, "followup.engine.poll-interval=1h", "followup.engine.workers=2"))
                .run(context -> assertThat(context.getBean(EngineScheduler.class).workers()).isEqualTo(2));
        withStore.withPropertyValues(join(TestProperties.PRACTICE, "followup.engine.workers=0"))
                .run(context -> assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("followup.engine.workers must be 1 to 64"));
    }

    @Test
    void anApplicationSchedulerBeanNamedLikeOursReplacesIt() {
        SmartLifecycle mine = new SmartLifecycle() {
            private boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
        withStore.withPropertyValues(TestProperties.PRACTICE).withBean("followUpEngineScheduler", SmartLifecycle.class, () -> mine)
                .run(context -> assertThat(context).doesNotHaveBean(EngineScheduler.class).getBean("followUpEngineScheduler").isSameAs(mine));
    }

    static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // The library's own exception, where it is the cause, says more than any wrapper.
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidConfigurationException) {
                return c;
            }
        }
        return cause;
    }
}
