package dev.followup.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpType;
import dev.followup.message.SendRate;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Step;
import dev.followup.practice.PracticeId;
import dev.followup.spring.FollowUpProperties;
import dev.followup.task.TaskKind;
import dev.followup.twilio.TwilioAccount;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Properties bound as Spring binds them, then mapped through the library's builders. */
class PropertyMappingTest {
    private static FollowUpProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bind("followup", FollowUpProperties.class).get();
    }

    @Test
    void aPolicyFromPropertiesIsTheSameLadderAsInCode() {
        FollowUpProperties p = bind(Map.of(
                "followup.policies.gentle.steps[0].sms", "invite",
                "followup.policies.gentle.steps[1].after", "36h",
                "followup.policies.gentle.steps[1].email", "reminder",
                "followup.policies.gentle.steps[2].after", "1d",
                "followup.policies.gentle.steps[2].staff-task", "call-patient",
                "followup.policies.gentle.within", "4h",
                "followup.policies.gentle.send-window.days", "tuesday,thursday",
                "followup.policies.gentle.on-yes.offer-slots", "2",
                "followup.policies.gentle.choice-timeout", "12h"));
        EscalationPolicy policy = PropertyPolicies.of(p).get(0);
        assertThat(policy.name()).isEqualTo("gentle");
        assertThat(policy.ladder()).extracting(EscalationPolicy.Rung::delay)
                .containsExactly(Duration.ZERO, Duration.ofHours(36), Duration.ofDays(1));
        assertThat(policy.ladder().get(1).step()).isEqualTo(new Step.Message(Channel.EMAIL, "reminder"));
        assertThat(policy.ladder().get(2).step()).isEqualTo(new Step.StaffTask(TaskKind.CALL_PATIENT));
        assertThat(policy.within()).isEqualTo(Duration.ofHours(4));
        assertThat(policy.window()).get().satisfies(w -> assertThat(w.days()).containsExactly(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY));
        assertThat(policy.onYes()).isEqualTo(new Step.OfferSlots(2));
        assertThat(policy.choiceTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(policy.endsByClosing()).isFalse();
    }

    @Test
    void aLadderCanEndByClosingAndAYesCanGoToStaff() {
        FollowUpProperties p = bind(Map.of("followup.policies.short.steps[0].sms", "invite", "followup.policies.short.close-after", "3d",
                "followup.policies.short.on-yes.staff-task", "schedule-manually"));
        EscalationPolicy policy = PropertyPolicies.of(p).get(0);
        assertThat(policy.endsByClosing()).isTrue();
        assertThat(policy.closeAfter()).contains(Duration.ofDays(3));
        assertThat(policy.onYes()).isEqualTo(new Step.StaffTask(TaskKind.SCHEDULE_MANUALLY));
    }

    @Test
    void policyMistakesNameTheirProperty() {
        assertThatThrownBy(() -> PropertyPolicies.of(bind(Map.of("followup.policies.x.steps[0].sms", "invite",
                "followup.policies.x.steps[0].email", "reminder")))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("followup.policies.x.steps[0] needs exactly one of");
        assertThatThrownBy(() -> PropertyPolicies.of(bind(Map.of("followup.policies.x.steps[0].sms", "invite"))))
                .hasMessageStartingWith("followup.policies.x: ").hasMessageContaining("must end with a staff task");
        assertThatThrownBy(() -> PropertyPolicies.of(bind(Map.of("followup.policies.x.steps[0].sms", "invite",
                "followup.policies.x.steps[0].after", "1h")))).hasMessageContaining("steps[0].after is not allowed");
        assertThatThrownBy(() -> PropertyPolicies.of(bind(Map.of("followup.policies.x.within", "2h"))))
                .hasMessageContaining("followup.policies.x.steps is empty");
    }

    @Test
    void aPracticeFromPropertiesHasEverySetting() {
        FollowUpProperties p = bind(Map.ofEntries(
                Map.entry("followup.practices[0].id", "northside"),
                Map.entry("followup.practices[0].name", "Northside Dental"),
                Map.entry("followup.practices[0].callback-phone", "(212) 555-0199"),
                Map.entry("followup.practices[0].time-zone", "America/New_York"),
                Map.entry("followup.practices[0].sms-from", "+12125550190"),
                Map.entry("followup.practices[0].send-window.days", "monday,wednesday"),
                Map.entry("followup.practices[0].send-window.start", "09:30"),
                Map.entry("followup.practices[0].send-window.end", "17:00"),
                Map.entry("followup.practices[0].closed-days[0]", "2026-12-25"),
                Map.entry("followup.practices[0].contact-limits.per-week", "2"),
                Map.entry("followup.practices[0].carrier-answers-exact-keywords", "false"),
                Map.entry("followup.practices[0].default-policy", "gentle"),
                Map.entry("followup.practices[0].policies-by-type.crown-follow-up", "standard"),
                Map.entry("followup.practices[0].send-rate.per-second", "3"),
                Map.entry("followup.practices[0].report.default-revenue", "180.00")));
        PropertyPractices.Configured c = PropertyPractices.of(p).get(0);
        assertThat(c.practice().id()).isEqualTo(PracticeId.of("northside"));
        assertThat(c.practice().timeZone().getId()).isEqualTo("America/New_York");
        assertThat(c.practice().sendWindow().days()).isEqualTo(Set.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY));
        assertThat(c.practice().sendWindow().start()).isEqualTo(LocalTime.of(9, 30));
        assertThat(c.practice().calendar().isClosed(java.time.LocalDate.of(2026, 12, 25))).isTrue();
        assertThat(c.practice().contactLimits().perWeek()).isEqualTo(2);
        assertThat(c.practice().carrierAnswersExactKeywords()).isFalse();
        assertThat(c.practice().emailFrom()).isNull();
        assertThat(c.settings().policyFor(FollowUpType.of("crown-follow-up"))).isEqualTo("standard");
        assertThat(c.settings().policyFor(FollowUpType.of("cleaning"))).isEqualTo("gentle");
        assertThat(c.settings().report().defaultRevenue()).isEqualByComparingTo("180.00");
        assertThat(c.sendRate()).isEqualTo(new SendRate(3, Integer.MAX_VALUE));
    }

    @Test
    void aPracticeWithoutItsOwnEmailFromTakesTheSharedFromAddress() {
        FollowUpProperties p = bind(Map.of(
                "followup.email.from-address", "outreach@shared.example",
                "followup.practices[0].id", "a", "followup.practices[0].name", "A", "followup.practices[0].callback-phone", "1",
                "followup.practices[0].time-zone", "UTC",
                "followup.practices[1].id", "b", "followup.practices[1].name", "B", "followup.practices[1].callback-phone", "1",
                "followup.practices[1].time-zone", "UTC", "followup.practices[1].email-from", "front@b.example"));
        assertThat(PropertyPractices.of(p)).extracting(c -> c.practice().emailFrom())
                .containsExactly("outreach@shared.example", "front@b.example");
    }

    @Test
    void twilioAccountsComeFromTheDefaultOrThePracticesOwnEntry() {
        Map<String, String> values = new java.util.HashMap<>();
        for (String id : List.of("a", "b")) {
            int i = id.equals("a") ? 0 : 1;
            String prefix = "followup.practices[" + i + "].";
            values.put(prefix + "id", id);
            values.put(prefix + "name", id.toUpperCase(java.util.Locale.ROOT));
            values.put(prefix + "callback-phone", "1");
            values.put(prefix + "time-zone", "UTC");
            values.put(prefix + "sms-from", "+1555555010" + i);
        }
        values.put("followup.twilio.account-sid", "AC" + "0".repeat(32));
        values.put("followup.twilio.auth-token", "default-token");
        FollowUpProperties p = bind(values);
        p.getTwilio().getAccounts().put("b", account("AC" + "1".repeat(32)));
        Map<PracticeId, TwilioAccount> accounts = PropertyTwilioAccounts.of(p.getTwilio(),
                PropertyPractices.of(p).stream().map(PropertyPractices.Configured::practice).toList());
        assertThat(accounts.get(PracticeId.of("a")).accountSid()).isEqualTo("AC" + "0".repeat(32));
        assertThat(accounts.get(PracticeId.of("a")).phoneNumbers()).containsExactly("+15555550100");
        assertThat(accounts.get(PracticeId.of("b")).accountSid()).isEqualTo("AC" + "1".repeat(32));
        assertThat(accounts.get(PracticeId.of("b")).authToken()).isEqualTo("b-token");
        assertThat(accounts.toString()).doesNotContain("default-token").doesNotContain("b-token");
        assertThat(List.copyOf(accounts.keySet())).hasSize(2);
    }

    private static FollowUpProperties.Account account(String sid) {
        FollowUpProperties.Account a = new FollowUpProperties.Account();
        a.setAccountSid(sid);
        a.setAuthToken("b-token");
        return a;
    }
}
