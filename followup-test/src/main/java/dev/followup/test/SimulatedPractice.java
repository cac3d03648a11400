package dev.followup.test;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidInputException;
import dev.followup.PracticeSettings;
import dev.followup.followup.FollowUpType;
import dev.followup.ingest.ImportResult;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.ReportSettings;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskOutcome;
import dev.followup.test.ScriptedPatients.Script;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * A practice with several weeks of simulated outreach behind it, for tests of what is built on the
 * engine's reads: report pages, the task board, exports. Each Monday a larger follow-up list
 * arrives (so the trend rises), scripted patients answer through the week, and the front desk
 * works the task list on Friday — in the last week only half of it, so that a board remains.
 *
 * <p>The last week's list deliberately carries hostile values where a page could go wrong: a
 * patient named {@value #HOSTILE_NAME} and a reply {@value #HOSTILE_REPLY}. A second, smaller
 * practice ({@link #otherPracticeId()}) is there for access tests: one user sees one practice.
 */
public final class SimulatedPractice {
    /** One patient's first name in the last week: markup that must never run (mixed case, so the importer keeps it as written). */
    public static final String HOSTILE_NAME = "<img src=x onError=alert(1)>";
    /** The free-text reply one patient in the last week sends, markup that must never run in a page. */
    public static final String HOSTILE_REPLY = "<script>alert('x')</script> can you call me after 5?";
    /** The Monday the first simulated week starts. */
    public static final LocalDate FIRST_MONDAY = LocalDate.of(2026, 10, 5);

    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private final FollowUpEngine engine;
    private final MutableClock clock;
    private final PracticeId practiceId;
    private final PracticeId otherPracticeId;
    private final LocalDate lastWeek;

    private SimulatedPractice(FollowUpEngine engine, MutableClock clock, PracticeId practiceId, PracticeId otherPracticeId,
            LocalDate lastWeek) {
        this.engine = engine;
        this.clock = clock;
        this.practiceId = practiceId;
        this.otherPracticeId = otherPracticeId;
        this.lastWeek = lastWeek;
    }

    /**
     * Simulates the weeks. Takes well under a second a week on in-memory ports.
     *
     * @param weeks how many weeks, 1 to 12
     * @return the practice after the last week, its clock on the Saturday morning of that week
     * @throws InvalidInputException if {@code weeks} is out of range
     */
    public static SimulatedPractice run(int weeks) {
        if (weeks < 1 || weeks > 12) {
            throw new InvalidInputException("weeks must be 1 to 12, was " + weeks);
        }
        Instant start = FIRST_MONDAY.atTime(7, 0).atZone(CHICAGO).toInstant();
        MutableClock clock = MutableClock.at(start);
        InMemorySmsSender sms = new InMemorySmsSender();
        InMemoryScheduling scheduling = new InMemoryScheduling(CHICAGO);
        Practice riverside = Practice.builder(PracticeId.of("riverside")).name("Riverside Family Clinic").callbackPhone("(312) 555-0140")
                .timeZone("America/Chicago").smsFrom("+13125550140").emailFrom("care@riverside.example").build();
        Practice other = Practice.builder(PracticeId.of("lakeview")).name("Lakeview Dental").callbackPhone("(212) 555-0150")
                .timeZone("America/New_York").smsFrom("+12125550150").emailFrom("hello@lakeview.example").build();
        ReportSettings report = ReportSettings.defaults().withRevenue(FollowUpType.of("post-op"), new BigDecimal("220.00"))
                .withMonthlyFee(new BigDecimal("199"));
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(new InMemoryFollowUpStore()).smsSender(sms)
                .emailSender(new InMemoryEmailSender()).slotProvider(scheduling).appointmentBooker(scheduling).taskSink(t -> { })
                .nodeId("simulated-practice").pacingSleeper(d -> { })
                .practice(riverside, PracticeSettings.defaults().withReport(report))
                .practice(other, PracticeSettings.defaults())
                .build();
        ScriptedPatients patients = new ScriptedPatients(engine, sms, clock);
        for (int week = 0; week < weeks; week++) {
            boolean last = week == weeks - 1;
            Instant monday = FIRST_MONDAY.plusWeeks(week).atTime(7, 0).atZone(CHICAGO).toInstant();
            clock.set(monday);
            ingest(engine, patients, riverside.id(), "312", week, 24 + 6 * week, last);
            ingest(engine, patients, other.id(), "212", week, 6, false);
            patients.runUntil(monday.plus(Duration.ofDays(4)).plus(Duration.ofHours(8)), Duration.ofMinutes(30));
            workTasks(engine, riverside.id(), last);
            workTasks(engine, other.id(), last);
            patients.runUntil(monday.plus(Duration.ofDays(5)).plus(Duration.ofHours(2)), Duration.ofMinutes(30));
        }
        return new SimulatedPractice(engine, clock, riverside.id(), other.id(), FIRST_MONDAY.plusWeeks(weeks - 1L));
    }

    private static void ingest(FollowUpEngine engine, ScriptedPatients patients, PracticeId practice, String areaCode, int week, int count,
            boolean hostile) {
        StringBuilder csv = new StringBuilder("MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Preferred Window,Language\n");
        for (int i = 0; i < count; i++) {
            int n = week * 100 + i;
            PhoneNumber phone = PhoneNumber.parse("+1" + areaCode + "555" + String.format("%04d", n), "US");
            String first = hostile && i == 0 ? HOSTILE_NAME : FIRST_NAMES[n % FIRST_NAMES.length];
            String lastName = hostile && i == 0 ? "O'Brien & \"Sons\"" : LAST_NAMES[(n / 3) % LAST_NAMES.length];
            csv.append("M").append(areaCode).append(n).append(',').append(quoted(first)).append(',').append(quoted(lastName)).append(',')
                    .append(phone.e164()).append(",p").append(n).append("@example.com,")
                    .append(PROVIDERS[i % PROVIDERS.length]).append(',').append(TYPES[i % TYPES.length]).append(",Mornings,en\n");
            Script script = scriptOf(i, week);
            if (hostile && i == 0) {
                script = Script.neverReply(); // so that the hostile name ends up on the task board
            } else if (hostile && i == 1) {
                script = Script.textAfter(Duration.ofMinutes(40), HOSTILE_REPLY);
            }
            patients.assign(phone, script);
        }
        ImportResult result = engine.ingest(practice, new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
        if (result.rejected() > 0) {
            throw new InvalidInputException("the simulated list of " + practice + " had " + result.rejected() + " rejected rows");
        }
    }

    /** Later weeks answer a little better, as practices report once their wording settles. */
    private static Script scriptOf(int i, int week) {
        Duration after = Duration.ofMinutes(25 + (i * 37L) % 300);
        int roll = (i * 7 + week * 3) % 20;
        if (roll < 4 + Math.min(week, 3)) {
            return Script.replyYesAfter(after);
        } else if (roll < 12) {
            return Script.neverReply();
        } else if (roll < 14) {
            return Script.declineAfter(after);
        } else if (roll < 15) {
            return Script.stopAfter(after);
        } else if (roll < 17) {
            return Script.textAfter(after, "Can someone call me about this? I work until 5.");
        }
        return Script.yesButNoChoice(after);
    }

    /** The front desk's Friday: every task, or in the last week every other one and never a hostile one, so a board remains. */
    private static void workTasks(FollowUpEngine engine, PracticeId practice, boolean leaveSome) {
        List<TaskCard> open = engine.taskBoard(practice);
        for (int i = 0; i < open.size(); i++) {
            TaskCard card = open.get(i);
            boolean hostile = (card.patientName() != null && card.patientName().contains("<"))
                    || (card.task().replyText() != null && card.task().replyText().contains("<"));
            if (leaveSome && (i % 2 == 1 || hostile)) {
                continue;
            }
            TaskOutcome outcome = switch (i % 4) {
                case 0, 1 -> TaskOutcome.BOOKED;
                case 2 -> TaskOutcome.UNREACHABLE;
                default -> TaskOutcome.DECLINED;
            };
            engine.claimTask(practice, card.task().id(), "front-desk");
            engine.completeTask(practice, card.task().id(), "front-desk", outcome);
        }
    }

    private static String quoted(String field) {
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }

    private static final String[] FIRST_NAMES = {"Maria", "James", "Aisha", "Wei", "Olivia", "Mateo", "Grace", "Daniel", "Priya",
        "Samuel", "Hannah", "Luis", "Chloe", "Omar", "Emma", "Noah", "Fatima", "Lucas", "Sofia", "Ethan"};
    private static final String[] LAST_NAMES = {"Garcia", "Johnson", "Nguyen", "Patel", "Kowalski", "Okafor", "Rossi", "Schmidt",
        "Haddad", "Brown", "Kim", "Silva"};
    private static final String[] PROVIDERS = {"Dr. Martinez", "Dr. Chen", "Dr. Okafor"};
    private static final String[] TYPES = {"annual-exam", "post-op", "lab-review", "annual-exam"};

    /** @return the engine, its clock on the Saturday of the last week */
    public FollowUpEngine engine() {
        return engine;
    }

    /** @return the clock the engine reads; tests may move it */
    public MutableClock clock() {
        return clock;
    }

    /** @return the simulated practice, Riverside Family Clinic (Chicago) */
    public PracticeId practiceId() {
        return practiceId;
    }

    /** @return a second, smaller practice, Lakeview Dental (New York), for access tests */
    public PracticeId otherPracticeId() {
        return otherPracticeId;
    }

    /** @return the Monday of the last simulated week */
    public LocalDate lastWeek() {
        return lastWeek;
    }
}
