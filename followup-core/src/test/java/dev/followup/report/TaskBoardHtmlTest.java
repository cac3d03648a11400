package dev.followup.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskId;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskBoardHtmlTest {
    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)> O'Brien";
    static final String HOSTILE_REPLY = "</blockquote><script>alert(\"r\")</script> call me & my \"wife\"";
    static final Instant OPENED = Instant.parse("2026-12-02T15:14:00Z");
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static StaffTask task(String id, TaskKind kind, TaskPriority priority, String reply) {
        return StaffTask.open(TaskId.of(id), PracticeId.of("riverside"), FollowUpId.random(), PatientId.random(), kind, priority,
                "The patient wrote something the engine does not act on", reply, OPENED);
    }

    final TaskCard open = new TaskCard(task("t-1", TaskKind.REVIEW_REPLY, TaskPriority.HIGH, HOSTILE_REPLY), HOSTILE_NAME, "0142",
            "annual exam", "Dr. <b>Chen</b>");
    final TaskCard mine = new TaskCard(task("t-2", TaskKind.CALL_PATIENT, TaskPriority.NORMAL, null).claimedBy("jane", OPENED), "Maria Garcia",
            "0007", "post op", "Dr. Okafor");
    final TaskCard theirs = new TaskCard(task("t-3", TaskKind.CALL_PATIENT, TaskPriority.NORMAL, null).claimedBy("<sam>", OPENED), "Wei Patel",
            null, null, null);
    final TaskCard gone = new TaskCard(task("t-4", TaskKind.SCHEDULE_MANUALLY, TaskPriority.NORMAL, null), null, null, null, null);

    String board(String token) {
        return TaskBoardHtml.builder("Riverside <Family> Clinic", CHICAGO).cards(List.of(open, mine, theirs, gone))
                .formsPostTo("/followup/practices/riverside/tasks", token).viewer("jane")
                .notice(new TaskBoardHtml.Notice("<b>done</b>", false)).render();
    }

    @Test
    void namesRepliesAndEveryOtherValueAreEscaped() {
        String html = board("tok\"><script>");
        assertThat(html).doesNotContain("<img").doesNotContain("<script").doesNotContain("</blockquote><")
                .doesNotContain("<b>").doesNotContain("<sam>")
                .contains("&lt;img src=x onerror=alert(1)&gt; O&#39;Brien")
                .contains("&lt;/blockquote&gt;&lt;script&gt;alert(&quot;r&quot;)&lt;/script&gt; call me &amp; my &quot;wife&quot;")
                .contains("Riverside &lt;Family&gt; Clinic").contains("with Dr. &lt;b&gt;Chen&lt;/b&gt;").contains("Claimed by &lt;sam&gt;")
                .contains("value=\"tok&quot;&gt;&lt;script&gt;\"").contains("&lt;b&gt;done&lt;/b&gt;");
        assertThat(html.toLowerCase()).doesNotContain("http://").doesNotContain("https://").doesNotContain("url(");
    }

    @Test
    void eachCardShowsWhoWhyAndWhen() {
        String html = board("t0k3n");
        assertThat(html).contains("id=\"open-count\" data-value=\"4\">4 tasks</span>")
                .contains("Phone ending 0142 · Annual exam with Dr. &lt;b&gt;Chen&lt;/b&gt; · opened Wed Dec 2, 9:14 AM")
                .contains("The patient wrote something the engine does not act on")
                .contains("<span class=\"kind\">Read reply</span><span class=\"kind\">Patient waiting</span>")
                .contains("Patient no longer on file").contains("Claimed by you");
    }

    @Test
    void formsClaimAndCompleteWithTheTokenExceptOnSomeoneElsesTask() {
        String html = board("t0k3n");
        assertThat(html).contains("<form method=\"post\" action=\"/followup/practices/riverside/tasks/t-1/claim\"")
                .contains("<form method=\"post\" action=\"/followup/practices/riverside/tasks/t-1/complete\"")
                .contains("name=\"outcome\" value=\"BOOKED\">Booked</button>").contains("value=\"DECLINED\">Declined</button>")
                .contains("value=\"UNREACHABLE\">Unreachable</button>")
                .doesNotContain("tasks/t-2/claim").contains("tasks/t-2/complete")
                .doesNotContain("tasks/t-3/");
        long forms = html.split("<form ", -1).length - 1;
        long tokens = html.split("<input type=\"hidden\" name=\"csrf\" value=\"t0k3n\">", -1).length - 1;
        assertThat(forms).isEqualTo(5); // t-1 claim + complete, t-2 complete, t-4 claim + complete
        assertThat(tokens).isEqualTo(forms);
    }

    @Test
    void withoutAFormTargetTheBoardIsReadOnly() {
        String html = TaskBoardHtml.builder("Riverside", CHICAGO).cards(List.of(open)).render();
        assertThat(html).doesNotContain("<form").doesNotContain("<button").contains("&lt;img src=x");
    }

    @Test
    void anEmptyBoardSaysSo() {
        assertThat(TaskBoardHtml.builder("Riverside", CHICAGO).render()).contains("Nothing waiting").contains("0 tasks");
    }

    @Test
    void formsPostOnlyToTheSiteAndOnlyWithAToken() {
        TaskBoardHtml.Builder b = TaskBoardHtml.builder("Riverside", CHICAGO);
        assertThatThrownBy(() -> b.formsPostTo("https://evil.example/tasks", "t")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> b.formsPostTo("//evil.example/tasks", "t")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> b.formsPostTo("/followup/tasks", " ")).isInstanceOf(InvalidInputException.class);
    }
}
