package dev.followup.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.Channel;
import dev.followup.practice.SendWindow;
import dev.followup.task.TaskKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EscalationPolicyTest {

    @Test
    void standardPolicyIsTheSeedLadder() {
        EscalationPolicy p = EscalationPolicy.standard();
        assertThat(p.name()).isEqualTo("standard");
        assertThat(p.ladder()).hasSize(3);
        assertThat(p.ladder().get(0).step()).isEqualTo(new Step.Message(Channel.SMS, "invite"));
        assertThat(p.ladder().get(1).delay()).isEqualTo(Duration.ofHours(24));
        assertThat(p.ladder().get(1).step()).isEqualTo(new Step.Message(Channel.EMAIL, "reminder"));
        assertThat(p.ladder().get(2).step()).isEqualTo(new Step.StaffTask(TaskKind.CALL_PATIENT));
        assertThat(p.within()).isEqualTo(Duration.ofHours(2));
        assertThat(p.onYes()).isEqualTo(new Step.OfferSlots(3));
        assertThat(p.endsByClosing()).isFalse();
    }

    @Test
    void aLadderMustEndWithAStaffTaskOrAnExplicitClose() {
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.sms("invite")).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("must end with a staff task");
        EscalationPolicy closing = EscalationPolicy.named("sms-only").first(Steps.sms("invite"))
                .ifNoReplyWithin(Duration.ofDays(2)).thenClose().build();
        assertThat(closing.endsByClosing()).isTrue();
        assertThat(closing.closeAfter()).contains(Duration.ofDays(2));
    }

    @Test
    void nothingFollowsAStaffTask() {
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.staffTask(TaskKind.CALL_PATIENT))
                .ifNoReplyWithin(Duration.ofHours(1)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("already ended");
    }

    @Test
    void validationExplainsItself() {
        assertThatThrownBy(() -> EscalationPolicy.named("Bad Name")).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.sms("invite")).within(Duration.ofHours(11)))
                .hasMessageContaining("at most 10 hours");
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.sms("invite")).ifNoReplyWithin(Duration.ZERO))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.sms("invite")).during(SendWindow.weekdays(9, 12))
                .during(SendWindow.weekdays(9, 12))).hasMessageContaining("already set");
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.sms("invite")).onReply(ReplyKind.NO, Steps.offerSlots(2)))
                .hasMessageContaining("only the answer to YES");
        assertThatThrownBy(() -> Steps.offerSlots(10)).hasMessageContaining("1 to 9");
        assertThatThrownBy(() -> EscalationPolicy.named("x").first(Steps.offerSlots(2))).hasMessageContaining("onReply");
    }

    @Test
    void derivedPoliciesChangeACopyAndKeepTheBase() {
        EscalationPolicy urgent = EscalationPolicy.from(EscalationPolicy.standard()).named("urgent")
                .delayBefore(1, Duration.ofHours(4)).within(Duration.ofHours(1)).onYes(Steps.offerSlots(5)).build();
        assertThat(urgent.name()).isEqualTo("urgent");
        assertThat(urgent.ladder().get(1).delay()).isEqualTo(Duration.ofHours(4));
        assertThat(urgent.onYes()).isEqualTo(new Step.OfferSlots(5));
        assertThat(EscalationPolicy.standard().ladder().get(1).delay()).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> EscalationPolicy.from(EscalationPolicy.standard()).build()).hasMessageContaining("name of its own");
        assertThatThrownBy(() -> EscalationPolicy.from(EscalationPolicy.standard()).named("y").replaceStep(0, Steps.staffTask(TaskKind.CALL_PATIENT)).build())
                .hasMessageContaining("ends the ladder");
        assertThatThrownBy(() -> EscalationPolicy.from(EscalationPolicy.standard()).named("y").delayBefore(7, Duration.ofHours(1)))
                .hasMessageContaining("steps 0 to 2");
    }

    @Test
    void templatesUsedListsMessageSteps() {
        assertThat(EscalationPolicy.standard().templatesUsed()).containsEntry("invite", Channel.SMS).containsEntry("reminder", Channel.EMAIL).hasSize(2);
    }
}
