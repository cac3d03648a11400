package dev.followup.web;

import dev.followup.ConcurrentUpdateException;
import dev.followup.FollowUpEngine;
import dev.followup.IllegalTransitionException;
import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.NotFoundException;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.HtmlReport;
import dev.followup.report.ReportFormats;
import dev.followup.report.ReportJson;
import dev.followup.report.TaskBoardHtml;
import dev.followup.report.WeeklyReport;
import dev.followup.task.TaskId;
import dev.followup.task.TaskOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The weekly report and the staff task board over HTTP, framework-agnostic: the host translates
 * its request into a {@link WebRequest}, calls {@link #handle}, and writes the {@link WebResponse}.
 * Paths, below the {@linkplain Builder#basePath(String) base path} (default {@code /followup}):
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>Method and path</th><th>Answer</th></tr>
 *   <tr><td>GET {@code /practices/{id}/report[?week=YYYY-MM-DD]}</td><td>the HTML report of the week holding that
 *       day (default: the current week in the practice's zone), with a trend</td></tr>
 *   <tr><td>GET {@code /practices/{id}/report.csv}, {@code report.json}</td><td>the same week as a download</td></tr>
 *   <tr><td>GET {@code /practices/{id}/tasks}</td><td>the task board</td></tr>
 *   <tr><td>POST {@code /practices/{id}/tasks/{taskId}/claim}</td><td>claims the task for the user; 303 to the board</td></tr>
 *   <tr><td>POST {@code /practices/{id}/tasks/{taskId}/complete}, field {@code outcome} = {@code BOOKED},
 *       {@code DECLINED} or {@code UNREACHABLE}</td><td>completes it; 303 to the board</td></tr>
 * </table>
 *
 * <p>Security, in the order checked: nobody signed in ({@link WebRequest#user()} null) gets 403;
 * a practice the {@link PracticeAccess} hook does not grant (by default none) answers 404, as an
 * unknown one does, so a user never learns which practices exist. Actions must be POSTs carrying
 * the session's anti-forgery token ({@link WebRequest#csrfToken()}, compared in constant time) in
 * the {@value TaskBoardHtml#CSRF_FIELD} field, or they get 403; a host without such a token gets
 * read-only pages. Every answer carries a content security policy that forbids scripts and
 * external loads, {@code nosniff}, {@code no-referrer}, {@code DENY} framing and {@code no-store}
 * (the board shows PHI). Nothing here logs.
 *
 * <pre>{@code
 * ReportPages pages = ReportPages.builder(engine)
 *     .access((user, practice) -> directory.practicesOf(user).contains(practice.value()))
 *     .basePath("/followup")
 *     .build();
 * WebResponse response = pages.handle(new WebRequest(method, path, params, user, sessionCsrfToken));
 * }</pre>
 */
public final class ReportPages {
    private static final Map<String, TaskOutcome> OUTCOMES = Map.of("BOOKED", TaskOutcome.BOOKED, "DECLINED", TaskOutcome.DECLINED,
            "UNREACHABLE", TaskOutcome.UNREACHABLE);
    private static final Map<String, TaskBoardHtml.Notice> NOTICES = Map.of(
            "claimed", new TaskBoardHtml.Notice("Task claimed: it is yours now.", false),
            "completed", new TaskBoardHtml.Notice("Task completed. Thank you!", false),
            "conflict", new TaskBoardHtml.Notice("Someone else has that task, or it is done already.", true),
            "gone", new TaskBoardHtml.Notice("That task is no longer on the board.", true));
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final FollowUpEngine engine;
    private final PracticeAccess access;
    private final String basePath;
    private final int trendWeeks;
    private final Clock clock;

    private ReportPages(Builder b) {
        this.engine = b.engine;
        this.access = b.access;
        this.basePath = b.basePath;
        this.trendWeeks = b.trendWeeks;
        this.clock = b.clock;
    }

    /**
     * @param engine the engine whose reports and tasks are served
     * @return a builder; without {@link Builder#access(PracticeAccess)} every practice is denied
     */
    public static Builder builder(FollowUpEngine engine) {
        return new Builder(Objects.requireNonNull(engine, "engine"));
    }

    /** Configures {@link ReportPages}; every setter checks its value at once. */
    public static final class Builder {
        private final FollowUpEngine engine;
        private PracticeAccess access = PracticeAccess.DENY_ALL;
        private String basePath = "/followup";
        private int trendWeeks = 8;
        private Clock clock;

        private Builder(FollowUpEngine engine) {
            this.engine = engine;
            this.clock = engine.clock();
        }

        /**
         * @param practiceAccess who may see which practice (default: nobody)
         * @return this
         */
        public Builder access(PracticeAccess practiceAccess) {
            this.access = Objects.requireNonNull(practiceAccess, "practiceAccess");
            return this;
        }

        /**
         * @param path where the host mounts the pages: {@code ""} for the root, or segments such
         *     as {@code /followup} or {@code /admin/followup} (a trailing slash is dropped)
         * @return this
         * @throws InvalidConfigurationException if the path is not of that form
         */
        public Builder basePath(String path) {
            String p = Objects.requireNonNull(path, "path");
            if (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.matches("(/[A-Za-z0-9._~-]+)*")) {
                throw new InvalidConfigurationException("the base path must be empty or /segment[/segment...] of letters, digits, '.', '_', '~' or '-'");
            }
            this.basePath = p;
            return this;
        }

        /**
         * @param weeks how many weeks the report's trend shows, 1 to 26 (default 8)
         * @return this
         */
        public Builder trendWeeks(int weeks) {
            if (weeks < 1 || weeks > 26) {
                throw new InvalidConfigurationException("trend weeks must be 1 to 26, was " + weeks);
            }
            this.trendWeeks = weeks;
            return this;
        }

        /**
         * @param source tells which week is the current one (default: the engine's clock)
         * @return this
         */
        public Builder clock(Clock source) {
            this.clock = Objects.requireNonNull(source, "source");
            return this;
        }

        /** @return the pages */
        public ReportPages build() {
            return new ReportPages(this);
        }
    }

    /** @return the base path the pages answer under */
    public String basePath() {
        return basePath;
    }

    /**
     * Answers one request. Never throws for anything a client can send: malformed paths, ids,
     * dates and outcomes are 4xx answers.
     *
     * @param request the request
     * @return the answer
     */
    public WebResponse handle(WebRequest request) {
        String path = request.path();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query); // hosts should strip it; a stray one must not change the route
        }
        if (!path.startsWith(basePath + "/")) {
            return plain(404, "Not found.");
        }
        String[] parts = path.substring(basePath.length() + 1).split("/", -1);
        if (parts.length < 3 || !parts[0].equals("practices")) {
            return plain(404, "Not found.");
        }
        if (request.user() == null) {
            return plain(403, "Sign in to see this page.");
        }
        Optional<Practice> practice = visiblePractice(request.user(), parts[1]);
        if (practice.isEmpty()) {
            return plain(404, "Not found.");
        }
        String method = request.method().toUpperCase(java.util.Locale.ROOT);
        if (parts.length == 3) {
            if (!method.equals("GET")) {
                return notAllowed("GET");
            }
            return switch (parts[2]) {
                case "report" -> report(request, practice.get(), Format.HTML);
                case "report.csv" -> report(request, practice.get(), Format.CSV);
                case "report.json" -> report(request, practice.get(), Format.JSON);
                case "tasks" -> board(request, practice.get());
                default -> plain(404, "Not found.");
            };
        }
        if (parts.length == 5 && parts[2].equals("tasks") && (parts[4].equals("claim") || parts[4].equals("complete"))) {
            if (!method.equals("POST")) {
                return notAllowed("POST");
            }
            return action(request, practice.get(), parts[3], parts[4]);
        }
        return plain(404, "Not found.");
    }

    private Optional<Practice> visiblePractice(String user, String rawId) {
        PracticeId id;
        try {
            id = PracticeId.of(rawId);
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
        // Ask the host before looking the practice up, and answer both the same way: nobody learns which practices exist.
        if (!access.maySee(user, id)) {
            return Optional.empty();
        }
        return engine.practices().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    private enum Format { HTML, CSV, JSON }

    private static final int FIRST_YEAR = 1970;
    private static final int LAST_YEAR = 9998; // the page links the next week, which must still print as YYYY-MM-DD

    private WebResponse report(WebRequest request, Practice practice, Format format) {
        LocalDate day;
        try {
            day = request.param("week").map(LocalDate::parse).orElseGet(() -> LocalDate.ofInstant(clock.instant(), practice.timeZone()));
        } catch (DateTimeParseException e) {
            return plain(400, "The week must be a date: YYYY-MM-DD.");
        }
        // LocalDate.parse takes years up to ±999,999,999, where the week's arithmetic overflows.
        if (day.getYear() < FIRST_YEAR || day.getYear() > LAST_YEAR) {
            return plain(400, "The week must be a date between " + FIRST_YEAR + " and " + LAST_YEAR + ".");
        }
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        String base = practiceBase(practice.id());
        String file = practice.id().value() + "-" + monday;
        return switch (format) {
            case CSV -> download("text/csv; charset=utf-8", file + ".csv", ReportFormats.csv(engine.weeklyReport(practice.id(), monday)));
            case JSON -> download("application/json; charset=utf-8", file + ".json", ReportJson.render(engine.weeklyReport(practice.id(), monday)));
            case HTML -> {
                List<WeeklyReport> weeks = engine.weeklyReports(practice.id(), monday, trendWeeks);
                List<HtmlReport.Link> links = List.of(
                        new HtmlReport.Link("← Previous week", base + "/report?week=" + monday.minusWeeks(1)),
                        new HtmlReport.Link("Next week →", base + "/report?week=" + monday.plusWeeks(1)),
                        new HtmlReport.Link("CSV", base + "/report.csv?week=" + monday),
                        new HtmlReport.Link("JSON", base + "/report.json?week=" + monday),
                        new HtmlReport.Link("Task board", base + "/tasks"));
                yield page(200, HtmlReport.render(weeks.get(weeks.size() - 1), weeks, links));
            }
        };
    }

    private WebResponse board(WebRequest request, Practice practice) {
        String base = practiceBase(practice.id());
        TaskBoardHtml.Builder board = TaskBoardHtml.builder(practice.name(), practice.timeZone())
                .cards(engine.taskBoard(practice.id()))
                .viewer(request.user())
                .notice(request.param("done").map(NOTICES::get).orElse(null))
                .links(List.of(new HtmlReport.Link("Weekly report", base + "/report")));
        if (request.csrfToken() != null && !request.csrfToken().isBlank()) {
            board.formsPostTo(base + "/tasks", request.csrfToken());
        }
        return page(200, board.render());
    }

    private WebResponse action(WebRequest request, Practice practice, String rawTaskId, String verb) {
        if (!tokenMatches(request)) {
            return plain(403, "This action needs the page's anti-forgery token: reload the task board and try again.");
        }
        TaskId taskId;
        try {
            taskId = TaskId.of(rawTaskId);
        } catch (InvalidInputException e) {
            return plain(404, "Not found.");
        }
        String user = Objects.requireNonNull(request.user());
        String done;
        try {
            if (verb.equals("claim")) {
                engine.claimTask(practice.id(), taskId, user);
                done = "claimed";
            } else {
                TaskOutcome outcome = OUTCOMES.get(request.param(TaskBoardHtml.OUTCOME_FIELD).orElse(""));
                if (outcome == null) {
                    return plain(400, "The outcome must be BOOKED, DECLINED or UNREACHABLE.");
                }
                engine.completeTask(practice.id(), taskId, user, outcome);
                done = "completed";
            }
        } catch (NotFoundException e) {
            done = "gone";
        } catch (IllegalTransitionException | ConcurrentUpdateException e) {
            done = "conflict";
        } catch (InvalidInputException e) {
            return plain(400, "This user id cannot be recorded on a task: it needs letters or digits.");
        }
        // Post/redirect/get: reloading the board never repeats the action.
        Map<String, String> headers = new LinkedHashMap<>(securityHeaders());
        headers.put("Location", practiceBase(practice.id()) + "/tasks?done=" + done);
        return new WebResponse(303, TEXT, "See the task board.", headers);
    }

    private static boolean tokenMatches(WebRequest request) {
        String expected = request.csrfToken();
        String sent = request.params().get(TaskBoardHtml.CSRF_FIELD);
        if (expected == null || expected.isBlank() || sent == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    private String practiceBase(PracticeId id) {
        return basePath + "/practices/" + id.value();
    }

    private static WebResponse page(int status, String html) {
        return new WebResponse(status, HTML, html, securityHeaders());
    }

    private static WebResponse download(String contentType, String fileName, String body) {
        Map<String, String> headers = new LinkedHashMap<>(securityHeaders());
        headers.put("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        return new WebResponse(200, contentType, body, headers);
    }

    private static WebResponse plain(int status, String message) {
        return new WebResponse(status, TEXT, message + "\n", securityHeaders());
    }

    private static WebResponse notAllowed(String allowed) {
        Map<String, String> headers = new LinkedHashMap<>(securityHeaders());
        headers.put("Allow", allowed);
        return new WebResponse(405, TEXT, "Method not allowed: use " + allowed + ".\n", headers);
    }

    private static Map<String, String> securityHeaders() {
        return Map.of("Content-Security-Policy", HtmlReport.CONTENT_SECURITY_POLICY, "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer", "X-Frame-Options", "DENY", "Cache-Control", "no-store");
    }

    /** @return a description for logs: the base path and trend length, nothing about users or patients */
    @Override
    public String toString() {
        return "ReportPages[" + (basePath.isEmpty() ? "/" : basePath) + ", trend " + trendWeeks + " weeks]";
    }
}
