package dev.followup.examples.boot;

import dev.followup.FollowUpEngine;
import dev.followup.ingest.ImportResult;
import dev.followup.practice.PracticeId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Loads this week's sample patient lists at start-up, each practice's in its own EHR's CSV layout
 * (the engine recognises the layout from the header). A real deployment ingests the lists its
 * practices upload, with {@link FollowUpEngine#ingest}.
 */
public final class SampleLists implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SampleLists.class);
    /** The practices of {@code application.properties} and their sample exports. */
    static final Map<String, String> FILES = Map.of(
            "lakeside", "/sample/lakeside-family-medicine.csv",
            "harbor-pt", "/sample/harbor-physical-therapy.csv",
            "northside", "/sample/northside-dental.csv");
    private final FollowUpEngine engine;

    /** @param engine the engine the lists are ingested into */
    public SampleLists(FollowUpEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run(ApplicationArguments args) {
        FILES.forEach((practice, file) -> {
            try (InputStream in = SampleLists.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("sample list missing from the examples jar: " + file);
                }
                ImportResult result = engine.ingest(PracticeId.of(practice), in, null);
                // The summary names rejected rows by line number and reason, never by their content.
                LOG.info("sample list of {}: {}", practice, result.summary());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
