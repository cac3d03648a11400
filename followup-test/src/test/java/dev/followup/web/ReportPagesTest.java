package dev.followup.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.report.ReportFormats;
import dev.followup.report.WeeklyReport;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskState;
import dev.followup.test.SimulatedPractice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ReportPages} on two simulated weeks: routes, the access hook, the anti-forgery token, actions. */
class ReportPagesTest {
    static final String JANE = "jane";
    static final String TOKEN = "session-token-0123456789";
    static SimulatedPractice sim;
    static ReportPages pages;
    static String base;

    @BeforeAll
    static void simulate() {
        sim = SimulatedPractice.run(2);
        pages = ReportPages.builder(sim.engine()).clock(sim.clock())
                .access((user, practice) -> user.equals(JANE) && practice.equals(sim.practiceId())).build();
        base = "/followup/practices/" + sim.practiceId().value();
    }

    static WebResponse get(String path, Map<String, String> params) {
        return pages.handle(WebRequest.get(path, params, JANE));
    }

    @Test
    void byDefaultTheCurrentWeekIsTheEnginesNotTheWallClocks() {
        ReportPages onEngineClock = ReportPages.builder(sim.engine()).access((user, practice) -> true).build();
        WebResponse byDefault = onEngineClock.handle(WebRequest.get(base + "/report", Map.of(), JANE));
        WebResponse explicit = get(base + "/report", Map.of());
        assertThat(byDefault.status()).isEqualTo(200);
        assertThat(byDefault.body()).isEqualTo(explicit.body());
    }

    @Test
    void byDefaultNobodySeesAnything() {
        ReportPages closed = ReportPages.builder(sim.engine()).build();
        for (String page : List.of("/report", "/report.csv", "/report.json", "/tasks")) {
            assertThat(closed.handle(WebRequest.get(base + page, Map.of(), JANE)).status()).as(page).isEqualTo(404);
        }
        assertThat(PracticeAccess.DENY_ALL.maySee(JANE, sim.practiceId())).isFalse();
    }

    @Test
    void nobodySignedInGets403AndAPracticeNotGrantedLooksLikeNone() {
        assertThat(pages.handle(WebRequest.get(base + "/report", Map.of(), null)).status()).isEqualTo(403);
        assertThat(get("/followup/practices/" + sim.otherPracticeId().value() + "/report", Map.of()).status()).isEqualTo(404);
        assertThat(get("/followup/practices/no-such-practice/report", Map.of()).status()).isEqualTo(404);
        assertThat(pages.handle(WebRequest.get(base + "/report", Map.of(), "sam")).status()).isEqualTo(404);
        assertThat(get("/followup/practices/..%2F/report", Map.of()).status()).isEqualTo(404);
        assertThat(get("/elsewhere" + base + "/report", Map.of()).status()).isEqualTo(404);
        assertThat(get(base + "/nothing-here", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void theReportPageIsTheWeeksReportWithATrendAndLinks() {
        WebResponse r = get(base + "/report", Map.of("week", sim.lastWeek().plusDays(2).toString()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(r.headers()).containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Frame-Options", "DENY").containsKey("Content-Security-Policy");
        assertThat(r.headers().get("Content-Security-Policy")).startsWith("default-src 'none'");
        WeeklyReport week = sim.engine().weeklyReport(sim.practiceId(), sim.lastWeek());
        assertThat(r.body()).contains("id=\"kpi-booked\" data-value=\"" + week.booked() + "\"")
                .contains("data-week-start=\"" + sim.lastWeek() + "\"")
                .contains("<a href=\"" + base + "/report.csv?week=" + sim.lastWeek() + "\">CSV</a>")
                .contains("<a href=\"" + base + "/report?week=" + sim.lastWeek().minusWeeks(1) + "\">← Previous week</a>")
                .contains("<a href=\"" + base + "/tasks\">Task board</a>");
        assertThat(r.body().split("<g data-week=", -1)).hasSize(9); // eight weeks by default
        // Without a week: the current one on the clock given (Saturday of the last simulated week).
        assertThat(get(base + "/report", Map.of()).body()).contains("data-week-start=\"" + sim.lastWeek() + "\"");
    }

    @Test
    void downloadsAreTheSameWeekAsCsvAndJson() {
        String week = sim.lastWeek().toString();
        WebResponse csv = get(base + "/report.csv", Map.of("week", week));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(csv.headers()).containsEntry("Content-Disposition", "attachment; filename=\"riverside-" + week + ".csv\"");
        assertThat(csv.body()).isEqualTo(ReportFormats.csv(sim.engine().weeklyReport(sim.practiceId(), sim.lastWeek())));
        WebResponse json = get(base + "/report.json", Map.of("week", week));
        assertThat(json.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(json.body()).contains("\"weekStart\": \"" + week + "\"");
    }

    @Test
    void aMalformedWeekIs400() {
        assertThat(get(base + "/report", Map.of("week", "last-week")).status()).isEqualTo(400);
        assertThat(get(base + "/report.csv", Map.of("week", "2026-13-01")).status()).isEqualTo(400);
        // Dates LocalDate.parse accepts but no week can be computed around.
        assertThat(get(base + "/report", Map.of("week", "+999999999-12-31")).status()).isEqualTo(400);
        assertThat(get(base + "/report.json", Map.of("week", "-999999999-01-01")).status()).isEqualTo(400);
        assertThat(get(base + "/report", Map.of("week", "9998-12-31")).status()).isEqualTo(200);
        assertThat(get(base + "/report", Map.of("week", "9999-12-31")).status()).isEqualTo(400);
    }

    @Test
    void theBoardHasFormsOnlyWhenTheHostGivesAToken() {
        String withToken = pages.handle(new WebRequest("GET", base + "/tasks", Map.of(), JANE, TOKEN)).body();
        assertThat(withToken).contains("<form method=\"post\" action=\"" + base + "/tasks/")
                .contains("name=\"csrf\" value=\"" + TOKEN + "\"").doesNotContain("<img src").contains("&lt;img src=x onError=alert(1)&gt;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; can you call me after 5?");
        String without = get(base + "/tasks", Map.of()).body();
        assertThat(without).doesNotContain("<form").contains("&lt;img src=x onError=alert(1)&gt;");
    }

    @Test
    void actionsNeedAPostWithTheSessionsToken() {
        TaskCard card = sim.engine().taskBoard(sim.practiceId()).get(0);
        String claim = base + "/tasks/" + card.task().id() + "/claim";
        assertThat(pages.handle(WebRequest.post(claim, Map.of(), JANE, TOKEN)).status()).isEqualTo(403);
        assertThat(pages.handle(WebRequest.post(claim, Map.of("csrf", "forged"), JANE, TOKEN)).status()).isEqualTo(403);
        assertThat(pages.handle(WebRequest.post(claim, Map.of("csrf", TOKEN), JANE, null)).status()).isEqualTo(403);
        assertThat(pages.handle(WebRequest.post(claim, Map.of("csrf", TOKEN), null, TOKEN)).status()).isEqualTo(403);
        WebResponse viaGet = pages.handle(new WebRequest("GET", claim, Map.of("csrf", TOKEN), JANE, TOKEN));
        assertThat(viaGet.status()).isEqualTo(405);
        assertThat(viaGet.headers()).containsEntry("Allow", "POST");
        assertThat(pages.handle(WebRequest.post(base + "/report", Map.of("csrf", TOKEN), JANE, TOKEN)).status()).isEqualTo(405);
        assertThat(sim.engine().taskBoard(sim.practiceId()).get(0).task().state()).isEqualTo(TaskState.OPEN);
    }

    @Test
    void claimingAndCompletingThroughThePagesWorksTheTask() {
        TaskCard card = sim.engine().taskBoard(sim.practiceId()).get(1);
        String task = base + "/tasks/" + card.task().id();
        WebResponse claimed = pages.handle(WebRequest.post(task + "/claim", Map.of("csrf", TOKEN), JANE, TOKEN));
        assertThat(claimed.status()).isEqualTo(303);
        assertThat(claimed.headers()).containsEntry("Location", base + "/tasks?done=claimed");
        assertThat(sim.engine().taskBoard(sim.practiceId())).filteredOn(c -> c.task().id().equals(card.task().id()))
                .singleElement().satisfies(c -> assertThat(c.task().assignee()).isEqualTo(JANE));
        assertThat(pages.handle(new WebRequest("GET", base + "/tasks", Map.of("done", "claimed"), JANE, TOKEN)).body())
                .contains("Task claimed: it is yours now.").contains("Claimed by you");

        assertThat(pages.handle(WebRequest.post(task + "/complete", Map.of("csrf", TOKEN, "outcome", "RESOLVED"), JANE, TOKEN)).status())
                .isEqualTo(400);
        assertThat(pages.handle(WebRequest.post(task + "/complete", Map.of("csrf", TOKEN), JANE, TOKEN)).status()).isEqualTo(400);
        WebResponse done = pages.handle(WebRequest.post(task + "/complete", Map.of("csrf", TOKEN, "outcome", "BOOKED"), JANE, TOKEN));
        assertThat(done.headers()).containsEntry("Location", base + "/tasks?done=completed");
        assertThat(sim.engine().taskBoard(sim.practiceId())).noneMatch(c -> c.task().id().equals(card.task().id()));
        assertThat(sim.engine().followUp(sim.practiceId(), card.task().followUpId())).hasValueSatisfying(
                f -> assertThat(f.state().name()).isEqualTo(TaskOutcome.BOOKED.name()));

        // Again: the task is done, which the board reports instead of failing.
        WebResponse again = pages.handle(WebRequest.post(task + "/complete", Map.of("csrf", TOKEN, "outcome", "BOOKED"), JANE, TOKEN));
        assertThat(again.headers()).containsEntry("Location", base + "/tasks?done=conflict");
        WebResponse unknown = pages.handle(WebRequest.post(base + "/tasks/no-such-task/claim", Map.of("csrf", TOKEN), JANE, TOKEN));
        assertThat(unknown.headers()).containsEntry("Location", base + "/tasks?done=gone");
        assertThat(pages.handle(WebRequest.post(base + "/tasks/bad%20id/claim", Map.of("csrf", TOKEN), JANE, TOKEN)).status()).isEqualTo(404);
    }

    @Test
    void someoneElsesClaimIsAConflictNotAnError() {
        ReportPages shared = ReportPages.builder(sim.engine()).access((user, practice) -> true).build();
        TaskCard card = sim.engine().taskBoard(sim.practiceId()).get(2);
        String claim = base + "/tasks/" + card.task().id() + "/claim";
        assertThat(shared.handle(WebRequest.post(claim, Map.of("csrf", "a"), "sam", "a")).headers()).containsEntry("Location",
                base + "/tasks?done=claimed");
        assertThat(shared.handle(WebRequest.post(claim, Map.of("csrf", "b"), "kim", "b")).headers()).containsEntry("Location",
                base + "/tasks?done=conflict");
        assertThat(shared.handle(new WebRequest("GET", base + "/tasks", Map.of(), "kim", "b")).body()).contains("Claimed by sam")
                .doesNotContain("tasks/" + card.task().id() + "/complete");
    }

    @Test
    void theBasePathIsConfigurable() {
        ReportPages root = ReportPages.builder(sim.engine()).basePath("").access((u, p) -> true).build();
        assertThat(root.handle(WebRequest.get("/practices/riverside/report.json", Map.of(), JANE)).status()).isEqualTo(200);
        ReportPages nested = ReportPages.builder(sim.engine()).basePath("/admin/followup/").access((u, p) -> true).build();
        assertThat(nested.basePath()).isEqualTo("/admin/followup");
        assertThat(nested.handle(WebRequest.get("/admin/followup/practices/riverside/tasks", Map.of(), JANE)).status()).isEqualTo(200);
        assertThat(nested.handle(WebRequest.get("/followup/practices/riverside/tasks", Map.of(), JANE)).status()).isEqualTo(404);
        for (String bad : List.of("followup", "/follow up", "/a//b", "/x?y", "https://evil")) {
            assertThatThrownBy(() -> ReportPages.builder(sim.engine()).basePath(bad)).as(bad).isInstanceOf(InvalidConfigurationException.class);
        }
        assertThatThrownBy(() -> ReportPages.builder(sim.engine()).trendWeeks(0)).isInstanceOf(InvalidConfigurationException.class);
    }
}
