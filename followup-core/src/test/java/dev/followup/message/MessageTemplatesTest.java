package dev.followup.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.followup.Channel;
import dev.followup.patient.Language;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {
    private static final Map<String, String> VALUES = Map.of("firstName", "Sarah", "lastName", "Lopez", "providerName", "Dr. Martinez",
            "practiceName", "Lakeside Family Medicine", "practicePhone", "(555) 010-2000", "slotList", "1) Tue Dec 1 10:00 AM", "slotTime", "Tue Dec 1 10:00 AM");

    @Test
    void defaultInviteNamesPracticePhoneAndOptOutAndFitsOneSegment() {
        MessageTemplate invite = MessageTemplates.defaults().resolve(TemplateNames.INVITE, Language.ENGLISH, "p1", "general");
        String text = MessageTemplates.render(invite, VALUES).text();
        assertThat(text).isEqualTo("Hi Sarah, Dr. Martinez at Lakeside Family Medicine recommends a follow-up visit. "
                + "Reply YES to schedule or call (555) 010-2000. Reply STOP to opt out.");
        assertThat(SmsSegments.count(text).segments()).isEqualTo(1);
        assertThat(SmsSegments.count(text).encoding()).isEqualTo(SmsEncoding.GSM_7);
    }

    @Test
    void everyDefaultSmsFitsOneSegmentWithTypicalValues() {
        for (MessageTemplate t : MessageTemplates.defaults().all()) {
            if (t.channel() == Channel.SMS) {
                SegmentCount count = SmsSegments.count(MessageTemplates.render(t, VALUES).text());
                assertThat(count.segments()).as(t.name() + " " + t.language()).isEqualTo(1);
            }
        }
    }

    @Test
    void unknownPlaceholderIsAConfigurationErrorNotABlank() {
        assertThatThrownBy(() -> MessageTemplate.sms("invite", Language.ENGLISH, "Hi {firstname} {practiceName} {practicePhone} STOP"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("{firstname}");
    }

    @Test
    void templatesMustNamePracticePhoneAndOptOut() {
        assertThatThrownBy(() -> MessageTemplate.sms("invite", Language.ENGLISH, "Hi {firstName}, call us. Reply STOP"))
                .hasMessageContaining("{practiceName}");
        assertThatThrownBy(() -> MessageTemplate.sms("invite", Language.ENGLISH, "Hi {firstName} from {practiceName} {practicePhone}"))
                .hasMessageContaining("STOP");
    }

    @Test
    void visitTypeNeedsThePracticesOptIn() {
        MessageTemplates withType = MessageTemplates.defaults().with(MessageTemplate.sms("invite", Language.ENGLISH,
                "Hi {firstName}, time for your {visitType} at {practiceName}. Call {practicePhone}. STOP to opt out."));
        assertThatThrownBy(() -> withType.validate(Map.of("invite", Channel.SMS), false, "p1")).hasMessageContaining("minimum necessary");
        withType.validate(Map.of("invite", Channel.SMS), true, "p1");
    }

    @Test
    void resolutionPrefersTheMostSpecificTemplateAndFallsBackToEnglish() {
        MessageTemplate forProvider = MessageTemplate.sms("invite", Language.ENGLISH, "Provider {practiceName} {practicePhone} STOP").forProvider("dr-a");
        MessageTemplate forBoth = MessageTemplate.sms("invite", Language.ENGLISH, "Both {practiceName} {practicePhone} STOP").forProvider("dr-a").forType("post-op");
        MessageTemplates set = MessageTemplates.defaults().with(forProvider).with(forBoth);
        assertThat(set.resolve("invite", Language.ENGLISH, "dr-a", "post-op").body()).startsWith("Both");
        assertThat(set.resolve("invite", Language.ENGLISH, "dr-a", "annual").body()).startsWith("Provider");
        assertThat(set.resolve("invite", Language.ENGLISH, "dr-b", "annual").body()).startsWith("Hi");
        assertThat(set.resolve("invite", Language.SPANISH, "dr-b", "annual").body()).startsWith("Hola");
        assertThat(set.resolve("invite", new Language("fr"), "dr-b", "annual").body()).startsWith("Hi");
        assertThatThrownBy(() -> MessageTemplates.empty().resolve("invite", Language.ENGLISH, "x", "y")).hasMessageContaining("no template 'invite'");
    }

    @Test
    void emailHtmlEscapesEveryValue() {
        MessageTemplate reminder = MessageTemplates.defaults().resolve(TemplateNames.REMINDER, Language.ENGLISH, "p", "t");
        Map<String, String> hostile = new java.util.HashMap<>(VALUES);
        hostile.put("firstName", "<script>alert('x')</script>");
        RenderedMessage m = MessageTemplates.render(reminder, hostile);
        assertThat(m.html()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(m.text()).contains("<script>"); // plain text is not HTML
        assertThat(m.subject()).isEqualTo("Lakeside Family Medicine: time to schedule your follow-up visit");
        assertThat(m.toString()).doesNotContain("script");
    }
}
