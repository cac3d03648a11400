package dev.followup.engine;

import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.defaultPractice;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.PracticeSettings;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.FollowUpType;
import dev.followup.message.MessageTemplate;
import dev.followup.message.MessageTemplates;
import dev.followup.message.TemplateNames;
import dev.followup.patient.Language;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Steps;
import dev.followup.task.TaskKind;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration mistakes are refused when the engine is built, with a message that names the problem. */
class ConfigurationErrorsEngineTest {
    private static final MessageTemplate VISIT_TYPE_INVITE = MessageTemplate.sms(TemplateNames.INVITE, Language.ENGLISH,
            "Hi {firstName}, time to book your {visitType} at {practiceName}. Reply YES or call {practicePhone}. STOP to opt out.");

    private static FollowUpEngine.Builder engine() {
        return FollowUpEngine.builder().clock(MutableClock.at(EngineFixture.MONDAY_0900)).store(new InMemoryFollowUpStore())
                .smsSender(new InMemorySmsSender());
    }

    private static MessageTemplates defaultsWithout(String name) {
        return MessageTemplates.empty().withAll(MessageTemplates.defaults().all().stream().filter(t -> !t.name().equals(name)).toList());
    }

    @Test
    void anUnknownPolicyNameIsNamed() {
        assertThatThrownBy(() -> engine().practice(defaultPractice().build(), PracticeSettings.defaults().withDefaultPolicy("gentle")).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("lakeside-clinic").hasMessageContaining("'gentle'").hasMessageContaining("not registered");
        assertThatThrownBy(() -> engine().practice(defaultPractice().build(),
                PracticeSettings.defaults().withPolicy(FollowUpType.of("post-op"), "post-op-care")).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'post-op-care'");
    }

    /** The engine names the practices whose policies send email but which have no From: it would skip those steps. */
    @Test
    void practicesWhosePoliciesEmailWithoutAFromAreListed() {
        EscalationPolicy textsOnly = EscalationPolicy.named("texts-only").first(Steps.sms(TemplateNames.INVITE)).within(Duration.ofHours(2))
                .ifNoReplyWithin(Duration.ofDays(1)).thenClose().build();
        FollowUpEngine engine = engine().policy(textsOnly)
                .practice(withoutFrom("lakeside-clinic"))
                .practice(withoutFrom("harbor"), PracticeSettings.defaults().withDefaultPolicy("texts-only"))
                .practice(dev.followup.practice.Practice.builder(dev.followup.practice.PracticeId.of("northside")).name("Northside")
                        .callbackPhone("(312) 555-0101").timeZone("America/Chicago").smsFrom("+13125550198")
                        .emailFrom("care@northside.example").build())
                .build();

        assertThat(engine.practicesEmailingWithoutFrom()).containsExactly(java.util.Map.entry(EngineFixture.PRACTICE_ID, "standard"));
    }

    private static dev.followup.practice.Practice withoutFrom(String id) {
        return dev.followup.practice.Practice.builder(dev.followup.practice.PracticeId.of(id)).name("Clinic " + id)
                .callbackPhone("(312) 555-0102").timeZone("America/Chicago").smsFrom("+13125550197").build();
    }

    @Test
    void aMissingTemplateIsNamed() {
        assertThatThrownBy(() -> engine().practice(defaultPractice().build(),
                PracticeSettings.defaults().withTemplates(defaultsWithout(TemplateNames.HELP))).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'help'").hasMessageContaining("lakeside-clinic");
        assertThatThrownBy(() -> engine().practice(defaultPractice().build(),
                PracticeSettings.defaults().withTemplates(defaultsWithout(TemplateNames.REMINDER))).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'reminder'").hasMessageContaining("EMAIL");
    }

    @Test
    void aTemplateAPolicyNeedsIsNamed() {
        EscalationPolicy recall = EscalationPolicy.named("recall").first(Steps.sms("recall-invite"))
                .ifNoReplyWithin(Duration.ofHours(48)).then(Steps.staffTask(TaskKind.CALL_PATIENT)).build();

        assertThatThrownBy(() -> engine().policy(recall).practice(defaultPractice().build(),
                PracticeSettings.defaults().withDefaultPolicy("recall")).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'recall-invite'");
    }

    @Test
    void aTemplateForTheWrongChannelIsNamed() {
        MessageTemplates smsReminder = MessageTemplates.defaults().with(MessageTemplate.sms(TemplateNames.REMINDER, Language.ENGLISH,
                "{practiceName}: please book your visit, call {practicePhone}. STOP to opt out."));

        assertThatThrownBy(() -> engine().practice(defaultPractice().build(), PracticeSettings.defaults().withTemplates(smsReminder)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'reminder'").hasMessageContaining("EMAIL");
    }

    @Test
    void theVisitTypeNeedsThePracticesOptIn() {
        PracticeSettings settings = PracticeSettings.defaults().withTemplates(MessageTemplates.defaults().with(VISIT_TYPE_INVITE));

        assertThatThrownBy(() -> engine().practice(defaultPractice().build(), settings).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("{visitType}").hasMessageContaining("visitTypeInMessages(true)").hasMessageContaining("'invite'");

        FollowUpEngine allowed = engine().practice(defaultPractice().visitTypeInMessages(true).build(), settings).build();
        assertThat(allowed.practices()).hasSize(1);
    }

    @Test
    void theVisitTypeIsNamedOnlyAfterTheOptIn() {
        EngineFixture fx = EngineFixture.builder().practice(b -> b.visitTypeInMessages(true))
                .settings(PracticeSettings.defaults().withTemplates(MessageTemplates.defaults().with(VISIT_TYPE_INVITE))).build();
        Row row = patient(1).type("Post-Op");
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.textsTo(row)).singleElement().satisfies(t -> assertThat(t.body()).contains("your post op at"));
    }

    @Test
    void aMissingStoreOrPracticeIsNamed() {
        assertThatThrownBy(() -> FollowUpEngine.builder().practice(defaultPractice().build()).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("needs a store");
        assertThatThrownBy(() -> FollowUpEngine.builder().store(new InMemoryFollowUpStore()).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("at least one practice");
        assertThatThrownBy(() -> engine().practice(defaultPractice().build()).practice(defaultPractice().build()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("already added");
    }

    /**
     * Issue 2: "a missing value is an error at configuration time, not a blank in a patient's
     * text". An invitation template may not use {slotTime}: outreach never has a slot.
     */
    @Test
    void aPlaceholderTheMessageCannotFillIsRefusedAtBuildTime() {
        MessageTemplates slotInInvite = MessageTemplates.defaults().with(MessageTemplate.sms(TemplateNames.INVITE, Language.ENGLISH,
                "Hi {firstName}, {practiceName} has a visit for you on {slotTime}. Call {practicePhone}. STOP to opt out."));

        assertThatThrownBy(() -> engine().practice(defaultPractice().build(), PracticeSettings.defaults().withTemplates(slotInInvite)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("slotTime").hasMessageContaining("'invite'");
    }
}
