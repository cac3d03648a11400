package dev.followup.report;

import static dev.followup.report.Markup.count;
import static dev.followup.report.Markup.esc;

import dev.followup.InvalidInputException;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import dev.followup.task.TaskState;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders the staff task board: one card per open or claimed task with the patient's name, the
 * reason, the patient's reply where there is one, and plain HTML forms to claim the task and to
 * complete it as booked, declined or unreachable. The forms post (no script is needed) and carry
 * the host's per-session anti-forgery token; without {@link Builder#formsPostTo} the board is
 * read-only.
 *
 * <p>The page holds PHI (names, replies) for the staff who call the patients: every value is
 * escaped, the page loads nothing and runs nothing, and it is rendered, never logged.
 *
 * <pre>{@code
 * String html = TaskBoardHtml.builder("Riverside Family Clinic", ZoneId.of("America/Chicago"))
 *     .cards(engine.taskBoard(practiceId))
 *     .formsPostTo("/followup/practices/riverside/tasks", csrfToken)
 *     .viewer("jane")
 *     .render();
 * }</pre>
 */
public final class TaskBoardHtml {
    /** The name of the form field that carries the anti-forgery token. */
    public static final String CSRF_FIELD = "csrf";
    /** The name of the form field that carries the outcome of a completed task. */
    public static final String OUTCOME_FIELD = "outcome";
    private static final DateTimeFormatter OPENED = DateTimeFormatter.ofPattern("EEE MMM d, h:mm a", Locale.US);

    private TaskBoardHtml() {
    }

    /**
     * A message at the top of the board after an action, such as "Task completed".
     *
     * @param text what to say (escaped when rendered)
     * @param problem whether it reports something that did not work
     */
    public record Notice(String text, boolean problem) {
        /** Validates the notice. */
        public Notice {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * @param practiceName the practice's name, for the heading
     * @param zone the practice's time zone, in which the cards show when a task was opened
     * @return a builder
     */
    public static Builder builder(String practiceName, ZoneId zone) {
        return new Builder(Objects.requireNonNull(practiceName, "practiceName"), Objects.requireNonNull(zone, "zone"));
    }

    /** Collects what the board shows; {@link #render()} produces the page. */
    public static final class Builder {
        private final String practiceName;
        private final ZoneId zone;
        private List<TaskCard> cards = List.of();
        private @Nullable String actionBase;
        private @Nullable String csrfToken;
        private @Nullable String viewer;
        private @Nullable Notice notice;
        private List<HtmlReport.Link> links = List.of();

        private Builder(String practiceName, ZoneId zone) {
            this.practiceName = practiceName;
            this.zone = zone;
        }

        /**
         * @param taskCards the cards, in the order to show them (the engine gives oldest first)
         * @return this
         */
        public Builder cards(List<TaskCard> taskCards) {
            this.cards = List.copyOf(taskCards);
            return this;
        }

        /**
         * Adds the claim and complete forms. A task's forms post to {@code base/{taskId}/claim} and
         * {@code base/{taskId}/complete}.
         *
         * @param base a same-site path, as for {@link HtmlReport.Link}
         * @param token the host's anti-forgery token for this session, sent back in the {@value TaskBoardHtml#CSRF_FIELD} field
         * @return this
         * @throws InvalidInputException if the path is not a same-site path or the token is blank
         */
        public Builder formsPostTo(String base, String token) {
            HtmlReport.Link.requireSameSite(base);
            if (token == null || token.isBlank()) {
                throw new InvalidInputException("the task board's forms need the session's anti-forgery token");
            }
            this.actionBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            this.csrfToken = token;
            return this;
        }

        /**
         * @param user who is looking, so that their own claims read "claimed by you"
         * @return this
         */
        public Builder viewer(@Nullable String user) {
            this.viewer = user;
            return this;
        }

        /**
         * @param message a message for the top of the page, or null
         * @return this
         */
        public Builder notice(@Nullable Notice message) {
            this.notice = message;
            return this;
        }

        /**
         * @param headerLinks links for the header, such as the weekly report
         * @return this
         */
        public Builder links(List<HtmlReport.Link> headerLinks) {
            this.links = List.copyOf(headerLinks);
            return this;
        }

        /** @return the page */
        public String render() {
            return TaskBoardHtml.render(this);
        }
    }

    private static String render(Builder b) {
        StringBuilder s = new StringBuilder(16_384);
        Markup.head(s, "Task board — " + b.practiceName);
        s.append("<body>\n<main class=\"page\">\n<header class=\"top\">\n<div>\n<h1>Task board</h1>\n<p class=\"sub\">")
                .append(esc(b.practiceName)).append(" · <span id=\"open-count\" data-value=\"").append(b.cards.size()).append("\">")
                .append(count(b.cards.size())).append(b.cards.size() == 1 ? " task" : " tasks").append("</span> waiting for staff</p>\n</div>\n");
        if (!b.links.isEmpty()) {
            s.append("<nav class=\"links\">");
            for (HtmlReport.Link l : b.links) {
                s.append("<a href=\"").append(esc(l.href())).append("\">").append(esc(l.label())).append("</a>");
            }
            s.append("</nav>\n");
        }
        s.append("</header>\n");
        if (b.notice != null) {
            s.append("<p class=\"notice").append(b.notice.problem() ? " warn" : "").append("\" role=\"status\" id=\"notice\">")
                    .append(esc(b.notice.text())).append("</p>\n");
        }
        if (b.cards.isEmpty()) {
            s.append("<section class=\"card\"><p class=\"empty\">Nothing waiting: every follow-up is in hand.</p></section>\n");
        } else {
            s.append("<div class=\"tasks\">\n");
            for (TaskCard c : b.cards) {
                card(s, b, c);
            }
            s.append("</div>\n");
        }
        s.append("<footer>This page shows patient information for the practice's staff. Do not forward or print it outside the practice.</footer>\n");
        s.append("</main>\n</body>\n</html>\n");
        return s.toString();
    }

    private static void card(StringBuilder s, Builder b, TaskCard c) {
        StaffTask t = c.task();
        String id = t.id().value();
        s.append("<article class=\"task").append(t.priority() == TaskPriority.HIGH ? " high" : "").append("\" id=\"task-").append(esc(id))
                .append("\" data-task=\"").append(esc(id)).append("\" data-state=\"").append(t.state().name()).append("\">\n");
        s.append("<div><span class=\"kind\">").append(kindLabel(t.kind())).append("</span>")
                .append(t.priority() == TaskPriority.HIGH ? "<span class=\"kind\">Patient waiting</span>" : "").append("</div>\n");
        s.append("<div class=\"who\">").append(c.patientName() == null ? "Patient no longer on file" : esc(c.patientName())).append("</div>\n");
        StringBuilder meta = new StringBuilder();
        if (c.phoneLastDigits() != null) {
            meta.append("Phone ending ").append(esc(c.phoneLastDigits()));
        }
        if (c.visitType() != null) {
            meta.append(meta.length() > 0 ? " · " : "").append(esc(capitalised(c.visitType())));
            if (c.providerName() != null) {
                meta.append(" with ").append(esc(c.providerName()));
            }
        }
        meta.append(meta.length() > 0 ? " · " : "").append("opened ").append(esc(t.createdAt().atZone(b.zone).format(OPENED)));
        s.append("<div class=\"meta\">").append(meta).append("</div>\n");
        s.append("<div class=\"reason\">").append(esc(capitalised(t.reason()))).append("</div>\n");
        if (t.replyText() != null && !t.replyText().isBlank()) {
            s.append("<blockquote class=\"reply\" aria-label=\"The patient's reply\">").append(esc(t.replyText())).append("</blockquote>\n");
        }
        boolean claimedByOther = t.state() == TaskState.CLAIMED && (b.viewer == null || !b.viewer.equals(t.assignee()));
        if (t.state() == TaskState.CLAIMED) {
            s.append("<div class=\"claimed\">").append(claimedByOther ? "Claimed by " + esc(String.valueOf(t.assignee())) : "Claimed by you")
                    .append("</div>\n");
        }
        if (b.actionBase != null && !claimedByOther) {
            String base = b.actionBase + "/" + id;
            if (t.state() == TaskState.OPEN) {
                s.append("<form method=\"post\" action=\"").append(esc(base)).append("/claim\" aria-label=\"Claim\">");
                token(s, b);
                s.append("<button type=\"submit\" class=\"primary\" name=\"claim\" value=\"1\">Claim</button></form>\n");
            }
            s.append("<form method=\"post\" action=\"").append(esc(base)).append("/complete\" aria-label=\"Complete\">");
            token(s, b);
            s.append("<button type=\"submit\" class=\"booked\" name=\"").append(OUTCOME_FIELD).append("\" value=\"BOOKED\">Booked</button>")
                    .append("<button type=\"submit\" class=\"declined\" name=\"").append(OUTCOME_FIELD).append("\" value=\"DECLINED\">Declined</button>")
                    .append("<button type=\"submit\" class=\"unreachable\" name=\"").append(OUTCOME_FIELD)
                    .append("\" value=\"UNREACHABLE\">Unreachable</button></form>\n");
        }
        s.append("</article>\n");
    }

    private static void token(StringBuilder s, Builder b) {
        s.append("<input type=\"hidden\" name=\"").append(CSRF_FIELD).append("\" value=\"").append(esc(Objects.requireNonNull(b.csrfToken)))
                .append("\">");
    }

    private static String kindLabel(TaskKind kind) {
        return switch (kind) {
            case CALL_PATIENT -> "Call patient";
            case REVIEW_REPLY -> "Read reply";
            case SCHEDULE_MANUALLY -> "Book by phone";
            case BOOKING_FAILED -> "Booking failed";
        };
    }

    private static String capitalised(String words) {
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
