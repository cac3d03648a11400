package dev.followup.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.report.WeeklyReport;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskState;
import dev.followup.test.SimulatedPractice;
import dev.followup.web.ReportPages;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The weekly report and the task board as a practice manager and the front desk see them: six
 * simulated weeks served by {@link ReportPages} over HTTP on the loopback address, loaded in
 * Debian's headless Chromium driven through chromedriver. Checks the figures in the DOM against
 * the engine, that hostile names stay text, that nothing is loaded or run, and completes a task
 * by clicking its buttons. Screenshots go to {@code target/screenshots/}.
 *
 * <p>Runs with {@code -Pbrowser} where {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * exist; skips itself otherwise, saying how to run it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportInChromiumTest {
    static final String USER = "jane";

    static SimulatedPractice sim;
    static FollowUpEngine engine;
    static JdkHttpHost host;
    static WebDriver driver;
    static Path profileDir;
    static Path screenshots;
    static String base;

    /** Why the tests cannot run here, or null; printed once and given as every test's skip reason. */
    static String skipReason;

    @BeforeAll
    static void start() throws IOException {
        skipReason = HeadlessChromium.unavailableReason();
        if (skipReason != null) {
            return;
        }
        sim = SimulatedPractice.run(6);
        engine = sim.engine();
        ReportPages pages = ReportPages.builder(engine).clock(sim.clock()).trendWeeks(6)
                .access((user, practice) -> user.equals(USER) && practice.equals(sim.practiceId())).build();
        host = new JdkHttpHost(pages, USER);
        base = host.origin() + "/followup/practices/" + sim.practiceId().value();
        screenshots = Path.of(System.getProperty("followup.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        profileDir = Files.createTempDirectory("followup-chromium-");
        driver = HeadlessChromium.start(profileDir);
    }

    @BeforeEach
    void onlyWithABrowser() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (host != null) {
            host.close();
        }
        HeadlessChromium.deleteProfile(profileDir);
    }

    @Test
    @Order(1)
    void theReportShowsTheEnginesFiguresAndLoadsNothing() throws IOException {
        WeeklyReport week = engine.weeklyReport(sim.practiceId(), sim.lastWeek());
        driver.get(base + "/report?week=" + sim.lastWeek());
        assertThat(driver.getTitle()).contains("Riverside Family Clinic").contains("follow-up report");
        assertThat(text("#kpi-booked")).isEqualTo(grouped(week.booked()));
        assertThat(text("#kpi-revenue")).isEqualTo("$" + String.format(Locale.US, "%,.2f", week.revenue()));
        assertThat(text("#kpi-hours")).isEqualTo(week.staffHoursSaved().toPlainString() + " h");
        assertThat(text("#kpi-cost")).isEqualTo("$" + String.format(Locale.US, "%,.2f", week.messagingCost()));
        assertThat(driver.findElement(By.id("kpi-roi")).getAttribute("data-value")).isEqualTo(week.roi().toPlainString());
        assertThat(text("#funnel-ingested")).isEqualTo(grouped(week.ingested()));
        assertThat(text("#funnel-contacted")).isEqualTo(grouped(week.contacted()));
        assertThat(text("#funnel-replied")).isEqualTo(grouped(week.replied()));
        assertThat(text("#funnel-booked")).isEqualTo(grouped(week.booked()));
        for (Channel c : Channel.values()) {
            assertThat(text("#rate-" + c.name())).as(c.name()).isEqualTo(percent(week.channel(c).responseRate()));
        }
        // The trend: one group per week, each with that week's figure.
        List<WebElement> bars = driver.findElements(By.cssSelector("#trend rect[data-series='booked']"));
        List<WeeklyReport> weeks = engine.weeklyReports(sim.practiceId(), sim.lastWeek(), 6);
        assertThat(bars).extracting(b -> Long.parseLong(b.getAttribute("data-value"))).containsExactlyElementsOf(
                weeks.stream().map(WeeklyReport::booked).toList());
        // Laid out: the charts have real size on the page.
        assertThat(driver.findElement(By.cssSelector("#funnel svg")).getRect().getWidth()).isGreaterThan(300);
        assertThat(driver.findElement(By.cssSelector("#trend svg")).getRect().getHeight()).isGreaterThan(120);
        // Nothing loaded besides the page, nothing to run.
        assertThat(js("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
        assertThat(js("return document.scripts.length")).isEqualTo(0L);
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
        screenshot("report");
    }

    @Test
    @Order(2)
    void theBoardShowsHostileNamesAndRepliesAsText() throws IOException {
        driver.get(base + "/tasks");
        assertNoAlert();
        List<TaskCard> cards = engine.taskBoard(sim.practiceId());
        assertThat(driver.findElements(By.cssSelector("article.task"))).hasSize(cards.size());
        assertThat(text("#open-count")).isEqualTo(cards.size() + (cards.size() == 1 ? " task" : " tasks"));
        assertThat(driver.findElements(By.cssSelector("article.task .who"))).extracting(WebElement::getText)
                .contains(SimulatedPractice.HOSTILE_NAME + " O'Brien & \"Sons\"");
        assertThat(driver.findElements(By.cssSelector("article.task blockquote.reply"))).extracting(WebElement::getText)
                .contains(SimulatedPractice.HOSTILE_REPLY);
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
        assertThat(js("return document.scripts.length")).isEqualTo(0L);
        assertThat(js("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
        screenshot("task-board");
    }

    @Test
    @Order(3)
    void aTaskIsClaimedAndCompletedByClickingItsButtons() throws IOException {
        driver.get(base + "/tasks");
        int before = driver.findElements(By.cssSelector("article.task")).size();
        WebElement card = hostileCard();
        String taskId = card.getAttribute("data-task");
        FollowUpId followUp = engine.taskBoard(sim.practiceId()).stream().filter(c -> c.task().id().value().equals(taskId)).findFirst()
                .orElseThrow().task().followUpId();
        card.findElement(By.cssSelector("form[action$='/claim'] button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("notice"), "Task claimed: it is yours now."));
        assertNoAlert();
        assertThat(driver.getCurrentUrl()).endsWith("/tasks?done=claimed");
        card = driver.findElement(By.id("task-" + taskId));
        assertThat(card.getAttribute("data-state")).isEqualTo("CLAIMED");
        assertThat(card.findElement(By.className("claimed")).getText()).isEqualTo("Claimed by you");
        screenshot("task-board-claimed");

        card.findElement(By.cssSelector("button[value='BOOKED']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("notice"), "Task completed. Thank you!"));
        assertThat(driver.findElements(By.id("task-" + taskId))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("article.task"))).hasSize(before - 1);
        assertThat(engine.openTasks(sim.practiceId())).noneMatch(t -> t.id().value().equals(taskId));
        assertThat(engine.followUp(sim.practiceId(), followUp)).hasValueSatisfying(f -> assertThat(f.state()).isEqualTo(FollowUpState.BOOKED));
        screenshot("task-board-after");
    }

    @Test
    @Order(4)
    void theBookingShowsInTheReport() throws IOException {
        WeeklyReport week = engine.weeklyReport(sim.practiceId(), sim.lastWeek());
        driver.get(base + "/report?week=" + sim.lastWeek());
        assertThat(text("#kpi-booked")).isEqualTo(grouped(week.booked()));
        assertThat(week.channel(Channel.STAFF_CALL).booked()).isPositive();
        assertThat(engine.taskBoard(sim.practiceId())).noneMatch(c -> c.patientName() != null && c.patientName().startsWith("<img"));
    }

    @Test
    @Order(5)
    void theHostAnswersDownloadsAndRefusesWhatItMust() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(base + "/report.json?week=" + sim.lastWeek())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(json.body()).contains("\"weekStart\": \"" + sim.lastWeek() + "\"");
        String other = host.origin() + "/followup/practices/" + sim.otherPracticeId().value() + "/report";
        assertThat(http.send(HttpRequest.newBuilder(URI.create(other)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        // A forged form post from elsewhere has no session token: refused, and the task stays open.
        TaskCard open = engine.taskBoard(sim.practiceId()).get(0);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/" + open.task().id() + "/complete"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("outcome=DECLINED"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(engine.taskBoard(sim.practiceId()).get(0).task().state()).isNotEqualTo(TaskState.DONE);
        driver.get(other);
        assertThat(driver.findElement(By.tagName("body")).getText()).isEqualTo("Not found.");
    }

    private static WebElement hostileCard() {
        return driver.findElements(By.cssSelector("article.task")).stream()
                .filter(a -> a.findElement(By.className("who")).getText().startsWith(SimulatedPractice.HOSTILE_NAME)).findFirst().orElseThrow();
    }

    private static void assertNoAlert() {
        assertThatThrownBy(() -> driver.switchTo().alert()).as("no script ran").isInstanceOf(NoAlertPresentException.class);
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static String grouped(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    private static String percent(BigDecimal fraction) {
        return fraction.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }

    /** The whole page: the window grows to the document's height first, since a screenshot shows the viewport. */
    private static void screenshot(String name) throws IOException {
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(6000, height + 40)));
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new Dimension(1280, 900));
    }
}
