package dev.followup.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium driven through the system's chromedriver, the way every browser test here starts it. */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static final String HOW_TO_RUN = "apt-get update && apt-get install -y chromium chromium-driver, then: mvn -Pbrowser verify "
            + "(or just these tests: mvn -Pbrowser -pl followup-browser-tests -am test -Dtest='*Chromium*' -Dsurefire.failIfNoSpecifiedTests=false)";

    private HeadlessChromium() {
    }

    /**
     * @return why the browser tests cannot run here (printed, since surefire does not show
     *     assumption messages), or null when they can
     */
    static String unavailableReason() {
        String reason = null;
        if (!Boolean.getBoolean("followup.browser.tests")) {
            reason = "Browser tests skipped: the Maven profile 'browser' is not active. To run them: " + HOW_TO_RUN;
        } else if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            reason = "Browser tests skipped: no /usr/bin/chromium or /usr/bin/chromedriver on this machine. To run them: " + HOW_TO_RUN;
        }
        if (reason != null) {
            System.out.println(reason);
        }
        return reason;
    }

    /**
     * @param profileDir a new, empty user-data directory
     * @return a driver for a headless window of 1280×900
     */
    static WebDriver start(Path profileDir) {
        // The system's chromedriver, never a downloaded one: with the driver's path given, Selenium Manager is not consulted.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profileDir, "--window-size=1280,900", "--lang=en-US");
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** @param profileDir the user-data directory to remove, if any */
    static void deleteProfile(Path profileDir) throws IOException {
        if (profileDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profileDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
