package dev.followup.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.conversation.InboundSms;
import dev.followup.examples.boot.FollowUpApplication;
import dev.followup.followup.Channel;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.WeeklyReport;
import dev.followup.task.StaffTask;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example Spring Boot application as it ships ({@code examples}: its {@code application.properties},
 * the sample lists, the demo-only access of {@code DemoWebAccess}), started in-process on a random
 * port, its pages served by the starter at {@code /followup/...}: headless Chromium loads the weekly
 * report and the task board, the figures in the DOM are checked against the engine, and a task a
 * patient's reply opened is claimed and completed by clicking. Screenshots go to
 * {@code target/screenshots/example-*.png}. Same skip rules as {@link ReportInChromiumTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExampleAppInChromiumTest {
    static final PracticeId LAKESIDE = PracticeId.of("lakeside");
    static final String REPLY = "Can someone call me about my lab results? I work until 5.";

    static ConfigurableApplicationContext app;
    static FollowUpEngine engine;
    static WebDriver driver;
    static Path profileDir;
    static Path screenshots;
    static String base;
    static LocalDate today;
    static String skipReason;

    @BeforeAll
    static void start() throws IOException {
        skipReason = HeadlessChromium.unavailableReason();
        if (skipReason != null) {
            return;
        }
        // The example as documented; only a free port, its own in-memory database, and no background runs during the test.
        app = new SpringApplicationBuilder(FollowUpApplication.class).run("--server.port=0", "--followup.engine.scheduler-enabled=false",
                "--spring.datasource.url=jdbc:h2:mem:followup-browser;DB_CLOSE_DELAY=-1", "--spring.application.admin.enabled=false");
        engine = app.getBean(FollowUpEngine.class);
        engine.runDueWork(); // the first texts of the sample lists, to the sandbox sender (when inside the send window)
        Practice lakeside = engine.practices().stream().filter(p -> p.id().equals(LAKESIDE)).findFirst().orElseThrow();
        Clock clock = app.getBean(Clock.class);
        today = LocalDate.ofInstant(clock.instant(), lakeside.timeZone());
        // A patient of the sample list answers with something only a person can handle: a task with her reply.
        engine.handleInboundSms(new InboundSms(LAKESIDE, "SM-browser-1", PhoneNumber.ofE164("+13125550100"),
                REPLY, clock.instant()));
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/followup/practices/lakeside";

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
        if (app != null) {
            app.close();
        }
        HeadlessChromium.deleteProfile(profileDir);
    }

    @Test
    @Order(1)
    void theReportShowsTheEnginesFigures() throws IOException {
        WeeklyReport week = engine.weeklyReport(LAKESIDE, today);
        driver.get(base + "/report");
        assertThat(driver.getTitle()).contains("Lakeside Family Medicine");
        assertThat(week.ingested()).as("the sample list was loaded at start-up").isPositive();
        assertThat(text("#funnel-ingested")).isEqualTo(grouped(week.ingested()));
        assertThat(text("#funnel-contacted")).isEqualTo(grouped(week.contacted()));
        assertThat(text("#funnel-replied")).isEqualTo(grouped(week.replied()));
        assertThat(text("#funnel-booked")).isEqualTo(grouped(week.booked()));
        assertThat(text("#kpi-booked")).isEqualTo(grouped(week.booked()));
        assertThat(text("#kpi-revenue")).isEqualTo("$" + String.format(Locale.US, "%,.2f", week.revenue()));
        assertThat(text("#kpi-hours")).isEqualTo(week.staffHoursSaved().toPlainString() + " h");
        assertThat(text("#kpi-cost")).isEqualTo("$" + String.format(Locale.US, "%,.2f", week.messagingCost()));
        for (Channel c : Channel.values()) {
            assertThat(text("#rate-" + c.name())).as(c.name()).isEqualTo(percent(week.channel(c).responseRate()));
        }
        assertThat(js("return document.scripts.length")).isEqualTo(0L);
        assertThat(js("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
        screenshot("example-report");
    }

    @Test
    @Order(2)
    void aTaskIsClaimedAndCompletedThroughTheBoard() throws IOException {
        StaffTask task = engine.openTasks(LAKESIDE).stream().filter(t -> REPLY.equals(t.replyText())).findFirst().orElseThrow();
        driver.get(base + "/tasks");
        int before = driver.findElements(By.cssSelector("article.task")).size();
        assertThat(before).isEqualTo(engine.openTasks(LAKESIDE).size());
        WebElement card = driver.findElement(By.id("task-" + task.id().value()));
        assertThat(card.findElement(By.cssSelector("blockquote.reply")).getText()).isEqualTo(REPLY);
        screenshot("example-task-board");

        card.findElement(By.cssSelector("form[action$='/claim'] button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("notice"), "Task claimed: it is yours now."));
        card = driver.findElement(By.id("task-" + task.id().value()));
        assertThat(card.getAttribute("data-state")).isEqualTo("CLAIMED");
        assertThat(card.findElement(By.className("claimed")).getText()).isEqualTo("Claimed by you");

        card.findElement(By.cssSelector("button[value='UNREACHABLE']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("notice"), "Task completed. Thank you!"));
        assertThat(driver.findElements(By.id("task-" + task.id().value()))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("article.task"))).hasSize(before - 1);
        assertThat(engine.openTasks(LAKESIDE)).noneMatch(t -> t.id().equals(task.id()));
        screenshot("example-task-board-after");
    }

    @Test
    @Order(3)
    void anotherPracticesPagesAreNotFoundForAPracticeTheDemoUserMayNotSee() {
        driver.get(base.replace("/lakeside", "/unknown-practice") + "/report");
        assertThat(driver.findElement(By.tagName("body")).getText()).isEqualTo("Not found.");
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

    private static void screenshot(String name) throws IOException {
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(6000, height + 40)));
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new Dimension(1280, 900));
    }
}
