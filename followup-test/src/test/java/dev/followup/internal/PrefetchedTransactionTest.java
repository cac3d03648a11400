package dev.followup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.message.AttemptState;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.Patient;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutreachWindow;
import dev.followup.spi.PracticeTransaction;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The read cache a group of outreach decisions works through: what it answers, and what a write makes it forget. */
class PrefetchedTransactionTest {
    private static final PracticeId PRACTICE = PracticeId.of("prefetch");
    private final MutableClock clock = MutableClock.at("2026-03-02T15:00:00Z");
    private final InMemoryFollowUpStore store = new InMemoryFollowUpStore();

    @Test
    void everyStoreCallIsForwardedByTheCacheItselfNotLeftToAnInterfaceDefault() {
        // A default would run the one-by-one loop against the cache, or miss a bulk call of the store: a new SPI
        // method must be forwarded (or cached) on purpose.
        for (Method m : PracticeTransaction.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            assertThat(declares(m)).as("PrefetchedTransaction declares %s", m).isTrue();
        }
    }

    private static boolean declares(Method m) {
        try {
            PrefetchedTransaction.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Test
    void prefetchedReadsCostNoStoreCallAndAWriteIsSeenByTheNextRead() {
        ingestTwoPatients();
        store.inTransaction(PRACTICE, real -> {
            List<String> calls = new ArrayList<>();
            PracticeTransaction counted = counting(real, calls);
            List<FollowUp> followUps = new ArrayList<>();
            real.forEachFollowUpTouched(Instant.EPOCH, clock.instant().plusSeconds(1), followUps::add);
            FollowUp f = followUps.get(0);
            Patient patient = real.patient(f.patientId()).orElseThrow();
            Instant weekAgo = clock.instant().minus(Duration.ofDays(7));
            OutreachWindow week = new OutreachWindow(Set.of(patient.id()), weekAgo);

            PrefetchedTransaction cache = new PrefetchedTransaction(counted);
            cache.prefetchPatients(List.of(patient.id()));
            cache.prefetchFollowUps(List.of(f.id()));
            cache.prefetchAttemptsOf(List.of(f.id()));
            cache.prefetchConsents(List.of(patient.id()), List.of(patient.phone()));
            cache.prefetchSuppressions(List.of(patient.id()));
            cache.prefetchPatientsByPhone(List.of(patient.phone()));
            cache.prefetchOutreach(List.of(week));
            calls.clear();

            assertThat(cache.patient(patient.id())).contains(patient);
            assertThat(cache.followUp(f.id())).contains(f);
            assertThat(cache.attemptsOf(f.id())).isEmpty();
            assertThat(cache.latestConsentOf(patient.id())).isEmpty();
            assertThat(cache.latestConsentOf(patient.phone())).isEmpty();
            assertThat(cache.suppressedChannels(patient.id())).isEmpty();
            assertThat(cache.patientsByPhone(patient.phone())).extracting(Patient::id).containsExactly(patient.id());
            assertThat(cache.outreachCounts(List.of(week))).containsExactly(0);
            assertThat(calls).as("answered from the bulk reads").isEmpty();

            SendAttempt attempt = new SendAttempt(UUID.randomUUID().toString(), PRACTICE, f.id(), patient.id(), Channel.SMS,
                    MessagePurpose.OUTREACH, 0, 1, AttemptState.PENDING, null, null, null, "synthetic body", 1, BigDecimal.ZERO,
                    clock.instant(), clock.instant());
            cache.insertAttempt(attempt);
            assertThat(cache.attemptsOf(f.id())).extracting(SendAttempt::id).containsExactly(attempt.id());
            assertThat(cache.outreachCounts(List.of(week))).containsExactly(1);
            cache.recordConsent(new ConsentChange(PRACTICE, null, patient.phone(), ConsentStatus.OPTED_OUT, ConsentSource.PATIENT_SMS,
                    clock.instant()));
            assertThat(cache.latestConsentOf(patient.phone())).map(ConsentChange::status).contains(ConsentStatus.OPTED_OUT);
            cache.updateFollowUp(f.rescheduled(clock.instant().plusSeconds(60)));
            assertThat(cache.followUp(f.id())).map(FollowUp::version).contains(f.version() + 1);
            cache.suppress(new ChannelSuppression(PRACTICE, patient.id(), Channel.SMS, "21211", clock.instant()));
            cache.prefetchSuppressions(List.of(patient.id()));
            assertThat(cache.suppressedChannels(patient.id())).containsExactly(Channel.SMS);
            cache.liftSuppressions(Channel.SMS, List.of(patient.id()));
            assertThat(cache.suppressedChannels(patient.id())).as("after the lift").isEmpty();
            assertThat(calls).as("after a write, the reads it could change go to the store")
                    .contains("attemptsOf", "outreachCounts", "latestConsentOf", "followUp", "suppressedChannels");

            calls.clear();
            cache.lockRecipient(patient.id(), patient.phone());
            cache.sendCheck(f.id(), "node-a", clock.instant(), patient.id(), patient.phone(), List.of(weekAgo));
            assertThat(calls).as("a lock, and the counts just before a send, never come from the bulk reads")
                    .containsExactly("lockRecipient", "sendCheck");
            return null;
        });
    }

    @Test
    void aLeaseAnswerIsOnlyReusedForTheSameNodeAndMoment() {
        ingestTwoPatients();
        store.inTransaction(PRACTICE, real -> {
            List<String> calls = new ArrayList<>();
            PrefetchedTransaction cache = new PrefetchedTransaction(counting(real, calls));
            FollowUpId unknown = FollowUpId.random();
            cache.prefetchLeased(List.of(unknown), "node-a", clock.instant());
            calls.clear();
            assertThat(cache.leasedFollowUp(unknown, "node-a", clock.instant())).isEmpty();
            assertThat(calls).isEmpty();
            cache.leasedFollowUp(unknown, "node-b", clock.instant());
            cache.leasedFollowUp(unknown, "node-a", clock.instant().plusSeconds(1));
            assertThat(calls).containsExactly("leasedFollowUp", "leasedFollowUp");
            return null;
        });
    }

    @Test
    void aHeldLeaseReleaseIsWrittenWithTheNextVersionOrBeforeAnyLeaseRead() {
        ingestTwoPatients();
        store.inTransaction(PRACTICE, real -> {
            List<String> calls = new ArrayList<>();
            List<FollowUp> followUps = new ArrayList<>();
            real.forEachFollowUpTouched(Instant.EPOCH, clock.instant().plusSeconds(1), followUps::add);
            PrefetchedTransaction cache = new PrefetchedTransaction(counting(real, calls));
            cache.holdLeaseReleases();
            FollowUp first = followUps.get(0);
            cache.releaseLease(first.id(), "node-a");
            cache.updateFollowUp(first.rescheduled(clock.instant().plusSeconds(60)));
            assertThat(calls).containsExactly("updateFollowUpAndRelease");
            FollowUp second = followUps.get(1);
            cache.releaseLease(second.id(), "node-a");
            calls.clear();
            cache.holdsLease(second.id(), "node-a", clock.instant());
            assertThat(calls).as("released before the lease is read").containsExactly("releaseLease", "holdsLease");
            cache.releaseLease(second.id(), "node-a");
            calls.clear();
            cache.releaseHeldLeases();
            assertThat(calls).containsExactly("releaseLease");
            return null;
        });
    }

    private void ingestTwoPatients() {
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(store).smsSender(new dev.followup.test.InMemorySmsSender())
                .practice(Practice.builder(PRACTICE).name("Prefetch Clinic").callbackPhone("(555) 010-2000").timeZone("America/Chicago")
                        .smsFrom("+13125550100").build())
                .build();
        String csv = "MRN,First Name,Last Name,Phone,Provider,Follow-Up Type\n"
                + "M1,Ada,Doe,(312) 555-0110,Dr. Who,annual\n"
                + "M2,Bea,Doe,(312) 555-0111,Dr. Who,annual\n";
        engine.ingest(PRACTICE, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
    }

    private static PracticeTransaction counting(PracticeTransaction target, List<String> calls) {
        return (PracticeTransaction) Proxy.newProxyInstance(PracticeTransaction.class.getClassLoader(), new Class<?>[] {PracticeTransaction.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
