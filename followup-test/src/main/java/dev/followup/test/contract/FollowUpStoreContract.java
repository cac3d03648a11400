package dev.followup.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.ConcurrentUpdateException;
import dev.followup.FollowUpException;
import dev.followup.audit.AuditEvent;
import dev.followup.audit.AuditHead;
import dev.followup.audit.AuditRecord;
import dev.followup.audit.AuditType;
import dev.followup.audit.AuditVerification;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.conversation.InboundMessage;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.BatchId;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.followup.FollowUpType;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.EmailAddress;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import dev.followup.scheduling.Slot;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.OutreachWindow;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.ProviderCopy;
import dev.followup.spi.ReplyContext;
import dev.followup.spi.SendCheck;
import dev.followup.spi.WeeklyCounts;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskPriority;
import dev.followup.task.TaskState;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The behaviour the engine relies on from a {@link FollowUpStore}. An implementation's test extends
 * this class and supplies the store; every test works in fresh random practices, so one store (one
 * database) may serve the whole suite.
 *
 * <p>{@link FollowUpStore#claimDue} spans practices; so that the claims of one test never see the
 * due rows another test left behind, each claim test schedules its rows in its own period, earlier
 * than every period used before it in this JVM. The store should therefore be used by this suite
 * only while it runs.
 *
 * <p>Instants in this suite have microsecond precision: stores must keep at least that much.
 */
public abstract class FollowUpStoreContract {
    /** A moment with microseconds, the precision stores must keep. */
    protected static final Instant T0 = Instant.parse("2026-03-02T15:04:05.123456Z");
    private static final AtomicLong CLAIM_PERIODS = new AtomicLong();

    /** The practice a test works in. */
    protected PracticeId practice;
    /** A second practice, for isolation. */
    protected PracticeId otherPractice;

    /** @return the store under test; may be the same instance for every test */
    protected abstract FollowUpStore store();

    /** Gives each test its own practices. */
    @BeforeEach
    void freshPractices() {
        practice = PracticeId.of("contract-" + java.util.UUID.randomUUID());
        otherPractice = PracticeId.of("contract-" + java.util.UUID.randomUUID());
    }

    // ------------------------------------------------------------------ patients

    @Test
    void patientRoundTripsEveryFieldIncludingUnicodeNames() {
        Patient full = new Patient(PatientId.random(), practice, new Mrn("MRN-000123"), "Zoë-Ånne", "Nguyễn 李",
                PhoneNumber.ofE164("+14155550123"), EmailAddress.of("zoe.nguyen@Example.ORG"), Language.SPANISH,
                ZoneId.of("America/Chicago"));
        Patient minimal = new Patient(PatientId.random(), practice, null, "", "O'Brien", PhoneNumber.ofE164("+14155550124"),
                null, Language.ENGLISH, null);
        Patient emailOnly = new Patient(PatientId.random(), practice, null, "Émile", "", null,
                EmailAddress.of("emile@example.com"), Language.ENGLISH, null);
        run(tx -> {
            tx.savePatient(full);
            tx.savePatient(minimal);
            tx.savePatient(emailOnly);
        });
        run(tx -> {
            assertThat(tx.patient(full.id())).contains(full);
            assertThat(tx.patient(minimal.id())).contains(minimal);
            assertThat(tx.patient(emailOnly.id())).contains(emailOnly);
            assertThat(tx.patientByIdentityKey(full.identityKey())).contains(full);
            assertThat(tx.patientByIdentityKey(emailOnly.identityKey())).contains(emailOnly);
            assertThat(tx.patientByIdentityKey("no-such-key")).isEmpty();
            assertThat(tx.patient(PatientId.random())).isEmpty();
        });
    }

    @Test
    void patientsByPhoneFindsEveryPatientSharingTheNumber() {
        PhoneNumber family = PhoneNumber.ofE164("+14155550130");
        Patient parent = patient("Maria", "García", family);
        Patient child = patient("Lucía", "García", family);
        Patient other = patient("Sam", "Lee", PhoneNumber.ofE164("+14155550131"));
        run(tx -> List.of(parent, child, other).forEach(tx::savePatient));
        run(tx -> {
            assertThat(tx.patientsByPhone(family)).containsExactlyInAnyOrder(parent, child);
            assertThat(tx.patientsByPhone(PhoneNumber.ofE164("+14155550139"))).isEmpty();
        });
    }

    @Test
    void savePatientReplacesTheStoredPatient() {
        Patient before = patient("Ann", "Lee", PhoneNumber.ofE164("+14155550140"));
        Patient after = new Patient(before.id(), practice, new Mrn("77"), "Ann", "Lee-Park", PhoneNumber.ofE164("+14155550141"),
                EmailAddress.of("ann@example.com"), Language.ENGLISH, ZoneId.of("Europe/Berlin"));
        run(tx -> tx.savePatient(before));
        run(tx -> tx.savePatient(after));
        run(tx -> {
            assertThat(tx.patient(before.id())).contains(after);
            assertThat(tx.patientsByPhone(before.phone())).isEmpty();
            assertThat(tx.patientsByPhone(after.phone())).containsExactly(after);
            assertThat(tx.patientByIdentityKey(after.identityKey())).contains(after);
        });
    }

    @Test
    void bulkPatientCallsBehaveLikeTheirOneByOneCounterparts() {
        // An MRN keeps the identity while the contact details change.
        Patient known = new Patient(PatientId.random(), practice, new Mrn("MRN-bulk"), "Kim", "Bulk", PhoneNumber.ofE164("+14155550160"),
                null, Language.ENGLISH, null);
        Patient foreign = new Patient(PatientId.random(), otherPractice, new Mrn("MRN-bulk"), "Kim", "Bulk", PhoneNumber.ofE164("+14155550160"), null,
                Language.ENGLISH, null);
        run(tx -> tx.savePatient(known));
        inOther(tx -> tx.savePatient(foreign));
        Patient fresh = patient("Lee", "Bulk", PhoneNumber.ofE164("+14155550161"));
        Patient renamedEarly = new Patient(known.id(), practice, new Mrn("MRN-bulk"), "Kim", "Bulk", PhoneNumber.ofE164("+14155550162"),
                null, Language.ENGLISH, null);
        Patient renamedLate = new Patient(known.id(), practice, new Mrn("MRN-bulk"), "Kim", "Bulk-Park", PhoneNumber.ofE164("+14155550163"),
                null, Language.ENGLISH, null);
        run(tx -> {
            assertThat(tx.patientsByIdentityKeys(List.of(known.identityKey(), fresh.identityKey(), "no-such-key")))
                    .containsOnly(Map.entry(known.identityKey(), known));
            assertThat(tx.patientsByIdentityKeys(List.of())).isEmpty();
            tx.savePatients(List.of(renamedEarly, fresh, renamedLate));
        });
        run(tx -> {
            assertThat(tx.patient(known.id())).contains(renamedLate); // the later entry with the same id wins
            assertThat(tx.patient(fresh.id())).contains(fresh);
            assertThat(tx.patientsByIdentityKeys(List.of(known.identityKey(), fresh.identityKey())))
                    .containsOnly(Map.entry(known.identityKey(), renamedLate), Map.entry(fresh.identityKey(), fresh));
        });
        inOther(tx -> assertThat(tx.patient(foreign.id())).contains(foreign));
        assertThatThrownBy(() -> run(tx -> tx.savePatients(List.of(fresh, foreign))))
                .isInstanceOf(dev.followup.InvalidInputException.class);
    }

    /**
     * Patients without an MRN are found by their contact key (email and name), whether inserted or
     * saved, all of those who share one; a patient with an MRN has none; a saved patient's new
     * address moves them to its key; another practice's patients are never found.
     */
    @Test
    void patientsWithoutAnMrnAreFoundByTheirContactKey() {
        EmailAddress family = EmailAddress.of("smiths.contact@example.com");
        Patient father = new Patient(PatientId.random(), practice, null, "John", "Smith", PhoneNumber.ofE164("+14155550181"), family,
                Language.ENGLISH, null);
        Patient son = new Patient(PatientId.random(), practice, null, "John", "Smith", PhoneNumber.ofE164("+14155550182"), family,
                Language.ENGLISH, null);
        Patient withMrn = new Patient(PatientId.random(), practice, new Mrn("MRN-contact"), "John", "Smith",
                PhoneNumber.ofE164("+14155550183"), family, Language.ENGLISH, null);
        Patient emailOnly = new Patient(PatientId.random(), practice, null, "Sol", "Contact", null,
                EmailAddress.of("sol.contact@example.com"), Language.ENGLISH, null);
        assertThat(withMrn.contactKey()).isNull();
        assertThat(emailOnly.contactKey()).isEqualTo(emailOnly.identityKey());
        run(tx -> {
            tx.insertPatients(List.of(father, withMrn));
            tx.savePatient(son);
            tx.savePatient(emailOnly);
        });
        Patient foreign = new Patient(PatientId.random(), otherPractice, null, "John", "Smith", PhoneNumber.ofE164("+14155550184"), family,
                Language.ENGLISH, null);
        inOther(tx -> tx.savePatient(foreign));

        run(tx -> {
            assertThat(tx.patientsByContactKeys(List.of(father.contactKey(), emailOnly.contactKey(), "no-such-key")))
                    .containsOnlyKeys(father.contactKey(), emailOnly.contactKey());
            assertThat(tx.patientsByContactKeys(List.of(father.contactKey())).get(father.contactKey()))
                    .containsExactlyInAnyOrder(father.id(), son.id());
            assertThat(tx.patientsByContactKeys(List.of())).isEmpty();
            tx.savePatient(new Patient(son.id(), practice, null, "John", "Smith", son.phone(), EmailAddress.of("john.jr@example.com"),
                    Language.ENGLISH, null));
        });
        run(tx -> assertThat(tx.patientsByContactKeys(List.of(father.contactKey())).get(father.contactKey()))
                .as("the son's new address").containsExactly(father.id()));
        inOther(tx -> assertThat(tx.patientsByContactKeys(List.of(father.contactKey()))).as("another practice's key").isEmpty());
    }

    @Test
    void insertingNewPatientsStoresThemAndAnIdStoredAlreadyFailsTheTransaction() {
        Patient stored = patient("Ann", "Insert", PhoneNumber.ofE164("+14155550165"));
        run(tx -> tx.savePatient(stored));
        Patient first = patient("Bo", "Insert", PhoneNumber.ofE164("+14155550166"));
        Patient second = new Patient(PatientId.random(), practice, null, "Cy", "Insert", null, EmailAddress.of("cy.insert@example.com"),
                Language.ENGLISH, null);
        run(tx -> {
            tx.insertPatients(List.of(first, second));
            tx.insertPatients(List.of());
        });
        run(tx -> {
            assertThat(tx.patient(first.id())).contains(first);
            assertThat(tx.patient(second.id())).contains(second);
            assertThat(tx.patientsByIdentityKeys(List.of(first.identityKey(), second.identityKey())))
                    .containsOnly(Map.entry(first.identityKey(), first), Map.entry(second.identityKey(), second));
            assertThat(tx.patientsByPhone(PhoneNumber.ofE164("+14155550166"))).containsExactly(first);
        });

        Patient third = patient("Di", "Insert", PhoneNumber.ofE164("+14155550167"));
        Patient restated = new Patient(stored.id(), practice, null, "Ann", "Renamed", PhoneNumber.ofE164("+14155550168"), null,
                Language.ENGLISH, null);
        assertThatThrownBy(() -> run(tx -> tx.insertPatients(List.of(third, restated))))
                .isInstanceOf(dev.followup.ConcurrentUpdateException.class);
        run(tx -> {
            assertThat(tx.patient(stored.id())).contains(stored); // not replaced
            assertThat(tx.patient(third.id())).isEmpty(); // rolled back with the failed call
        });
        Patient foreign = new Patient(PatientId.random(), otherPractice, null, "Eve", "Insert", PhoneNumber.ofE164("+14155550169"), null,
                Language.ENGLISH, null);
        assertThatThrownBy(() -> run(tx -> tx.insertPatients(List.of(foreign))))
                .isInstanceOf(dev.followup.InvalidInputException.class);
    }

    @Test
    void bulkFollowUpInsertSkipsKnownNeedsAndRepeatsWithinTheList() {
        Patient p = patient("Ida", "Bulk", PhoneNumber.ofE164("+14155550164"));
        FollowUp stored = followUp(p, "need-bulk-stored", T0);
        storeWith(p, stored);
        FollowUp first = followUp(p, "need-bulk-1", T0);
        FollowUp again = followUp(p, "need-bulk-stored", T0);
        FollowUp second = followUp(p, "need-bulk-2", T0);
        FollowUp repeat = followUp(p, "need-bulk-1", T0);
        List<Boolean> inserted = tx(tx -> tx.insertFollowUps(List.of(first, again, second, repeat)));
        assertThat(inserted).containsExactly(true, false, true, false);
        run(tx -> {
            assertThat(tx.followUp(first.id())).contains(first);
            assertThat(tx.followUp(second.id())).contains(second);
            assertThat(tx.followUp(again.id())).isEmpty();
            assertThat(tx.followUp(repeat.id())).isEmpty();
            assertThat(tx.followUpByNeedKey(again.needKey())).contains(stored);
            assertThat(tx.insertFollowUps(List.of())).isEmpty();
        });
    }

    @Test
    void bulkCallsHandleListsLongerThanOneStatementCarries() {
        int n = 2_345;
        List<Patient> patients = new ArrayList<>();
        List<FollowUp> followUps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Patient p = patient("Many", "Bulk" + i, PhoneNumber.ofE164("+1415555" + String.format("%04d", i)));
            patients.add(p);
            followUps.add(followUp(p, "need-many-" + i, T0));
        }
        run(tx -> tx.savePatients(patients.subList(0, n / 2)));
        run(tx -> tx.insertFollowUps(followUps.subList(0, n / 3)));
        List<Boolean> inserted = tx(tx -> {
            assertThat(tx.patientsByIdentityKeys(patients.stream().map(Patient::identityKey).toList())).hasSize(n / 2);
            tx.savePatients(patients);
            return tx.insertFollowUps(followUps);
        });
        assertThat(inserted.subList(0, n / 3)).containsOnly(false);
        assertThat(inserted.subList(n / 3, n)).containsOnly(true);
        run(tx -> assertThat(tx.patientsByIdentityKeys(patients.stream().map(Patient::identityKey).toList())).hasSize(n));
        List<PatientId> patientIds = patients.stream().map(Patient::id).toList();
        List<FollowUpId> followUpIds = followUps.stream().map(FollowUp::id).toList();
        run(tx -> {
            tx.suppress(new ChannelSuppression(practice, patientIds.get(n - 1), Channel.SMS, "21610", T0));
            tx.recordConsent(new ConsentChange(practice, patientIds.get(n - 2), null, ConsentStatus.OPTED_OUT, ConsentSource.STAFF, T0));
            tx.insertAttempt(attempt(followUps.get(n - 3), 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0, "many"));
        });
        run(tx -> {
            assertThat(tx.patients(patientIds)).hasSize(n).containsEntry(patientIds.get(n - 1), patients.get(n - 1));
            assertThat(tx.patientsByPhones(patients.stream().map(Patient::phone).toList())).hasSize(n)
                    .allSatisfy((phone, found) -> assertThat(found).singleElement().extracting(Patient::phone).isEqualTo(phone));
            assertThat(tx.followUps(followUpIds)).hasSize(n).containsEntry(followUpIds.get(0), followUps.get(0));
            assertThat(tx.attemptsOfFollowUps(followUpIds)).hasSize(n)
                    .hasEntrySatisfying(followUpIds.get(n - 3), attempts -> assertThat(attempts).hasSize(1));
            assertThat(tx.suppressedChannelsOf(patientIds)).hasSize(n).containsEntry(patientIds.get(n - 1), EnumSet.of(Channel.SMS));
            assertThat(tx.latestConsentsOfPatients(patientIds)).containsOnlyKeys(patientIds.get(n - 2));
            assertThat(tx.outreachCounts(List.of(new OutreachWindow(Set.copyOf(patientIds), T0)))).containsExactly(1);
        });
    }

    // ------------------------------------------------------------------ bulk reads

    @Test
    void bulkPatientAndFollowUpReadsEqualTheirOneByOneAnswers() {
        PhoneNumber family = PhoneNumber.ofE164("+14155550165");
        Patient parent = patient("Ines", "Bulk", family);
        Patient child = patient("Ivo", "Bulk", family);
        Patient single = patient("Ula", "Bulk", PhoneNumber.ofE164("+14155550166"));
        Patient noPhone = new Patient(PatientId.random(), practice, null, "Noa", "Bulk", null, EmailAddress.of("noa@example.com"),
                Language.ENGLISH, null);
        Patient foreign = new Patient(PatientId.random(), otherPractice, null, "Oli", "Bulk", family, null, Language.ENGLISH, null);
        FollowUp ofParent = followUp(parent, "need-bulk-read-1", T0);
        FollowUp ofChild = followUp(child, "need-bulk-read-2", T0);
        FollowUp foreignFollowUp = FollowUp.open(FollowUpId.random(), otherPractice, foreign.id(), new Provider("dr-m", "Dr. Martinez"),
                FollowUpType.GENERAL, PreferredWindow.ANY, null, BatchId.of("batch-o"), "need-bulk-read-other", "standard", T0, T0);
        run(tx -> {
            List.of(parent, child, single, noPhone).forEach(tx::savePatient);
            List.of(ofParent, ofChild).forEach(tx::insertFollowUp);
        });
        inOther(tx -> {
            tx.savePatient(foreign);
            tx.insertFollowUp(foreignFollowUp);
        });
        List<PatientId> patientIds = List.of(parent.id(), child.id(), PatientId.random(), parent.id(), foreign.id(), single.id(),
                noPhone.id());
        PhoneNumber familyOtherLine = otherLineType(family);
        List<PhoneNumber> phones = List.of(family, single.phone(), PhoneNumber.ofE164("+14155550167"), family, familyOtherLine);
        List<FollowUpId> followUpIds = List.of(ofParent.id(), FollowUpId.random(), ofChild.id(), ofParent.id(), foreignFollowUp.id());
        run(tx -> {
            PracticeTransaction oneByOne = oneByOne(tx);
            assertThat(tx.patients(patientIds)).isEqualTo(oneByOne.patients(patientIds))
                    .containsOnlyKeys(parent.id(), child.id(), single.id(), noPhone.id()).containsEntry(noPhone.id(), noPhone);
            assertThat(tx.patientsByPhones(phones)).isEqualTo(oneByOne.patientsByPhones(phones))
                    .containsOnlyKeys(family, single.phone(), PhoneNumber.ofE164("+14155550167"), familyOtherLine)
                    .containsEntry(single.phone(), List.of(single)).containsEntry(PhoneNumber.ofE164("+14155550167"), List.of())
                    .hasEntrySatisfying(familyOtherLine, found -> assertThat(found).containsExactlyInAnyOrder(parent, child));
            assertThat(tx.followUps(followUpIds)).isEqualTo(oneByOne.followUps(followUpIds))
                    .containsOnly(Map.entry(ofParent.id(), ofParent), Map.entry(ofChild.id(), ofChild));
            assertThat(tx.patients(List.of())).isEmpty();
            assertThat(tx.patientsByPhones(List.of())).isEmpty();
            assertThat(tx.followUps(List.of())).isEmpty();
        });
        inOther(tx -> {
            assertThat(tx.patients(patientIds)).containsOnly(Map.entry(foreign.id(), foreign));
            assertThat(tx.patientsByPhones(List.of(family))).containsOnly(Map.entry(family, List.of(foreign)));
            assertThat(tx.followUps(followUpIds)).containsOnlyKeys(foreignFollowUp.id());
        });
    }

    @Test
    void bulkLeaseReadKeepsOnlyTheOwnersLiveLeases() {
        Instant epoch = claimEpoch();
        Patient p = patient("Lea", "Bulk", PhoneNumber.ofE164("+14155550168"));
        FollowUp shortLease = followUp(p, "need-bulk-lease-1", epoch.plusSeconds(10));
        FollowUp longLease = followUp(p, "need-bulk-lease-2", epoch.plusSeconds(20));
        FollowUp otherOwner = followUp(p, "need-bulk-lease-3", epoch.plusSeconds(30));
        FollowUp unclaimed = followUp(p, "need-bulk-lease-4", epoch.plus(Duration.ofDays(1)));
        storeWith(p, shortLease, longLease, otherOwner, unclaimed);
        Patient foreign = new Patient(PatientId.random(), otherPractice, null, "Oli", "Lease", p.phone(), null, Language.ENGLISH, null);
        FollowUp foreignLeased = FollowUp.open(FollowUpId.random(), otherPractice, foreign.id(), new Provider("dr-m", "Dr. Martinez"),
                FollowUpType.GENERAL, PreferredWindow.ANY, null, BatchId.of("batch-o"), "need-bulk-lease-other", "standard", epoch,
                epoch.plusSeconds(40));
        inOther(tx -> {
            tx.savePatient(foreign);
            tx.insertFollowUp(foreignLeased);
        });
        Instant now = epoch.plusSeconds(60);
        assertThat(own(store().claimDue(now, 1, "node-a", now.plusSeconds(60)))).extracting(Claim::followUpId)
                .containsExactly(shortLease.id());
        assertThat(own(store().claimDue(now, 1, "node-a", now.plusSeconds(600)))).extracting(Claim::followUpId)
                .containsExactly(longLease.id());
        assertThat(own(store().claimDue(now, 1, "node-b", now.plusSeconds(600)))).extracting(Claim::followUpId)
                .containsExactly(otherOwner.id());
        assertThat(store().claimDue(now, 10, "node-a", now.plusSeconds(600))).extracting(Claim::followUpId)
                .contains(foreignLeased.id());
        List<FollowUpId> ids = List.of(shortLease.id(), longLease.id(), otherOwner.id(), unclaimed.id(), FollowUpId.random(),
                longLease.id(), foreignLeased.id());
        Instant later = now.plusSeconds(120);
        run(tx -> {
            PracticeTransaction oneByOne = oneByOne(tx);
            assertThat(tx.leasedFollowUps(ids, "node-a", now)).isEqualTo(oneByOne.leasedFollowUps(ids, "node-a", now))
                    .containsOnly(Map.entry(shortLease.id(), shortLease), Map.entry(longLease.id(), longLease));
            assertThat(tx.leasedFollowUps(ids, "node-a", later)).isEqualTo(oneByOne.leasedFollowUps(ids, "node-a", later))
                    .containsOnlyKeys(longLease.id());
            assertThat(tx.leasedFollowUps(ids, "node-b", now)).isEqualTo(oneByOne.leasedFollowUps(ids, "node-b", now))
                    .containsOnlyKeys(otherOwner.id());
            assertThat(tx.leasedFollowUps(ids, "node-c", now)).isEmpty();
            assertThat(tx.leasedFollowUps(List.of(), "node-a", now)).isEmpty();
        });
        inOther(tx -> assertThat(tx.leasedFollowUps(ids, "node-a", now)).containsOnlyKeys(foreignLeased.id()));
    }

    @Test
    void bulkAttemptReadsEqualTheirOneByOneAnswers() {
        Patient p = patient("Att", "Bulk", PhoneNumber.ofE164("+14155550169"));
        FollowUp f = followUp(p, "need-bulk-att-1", T0);
        FollowUp g = followUp(p, "need-bulk-att-2", T0);
        FollowUp none = followUp(p, "need-bulk-att-3", T0);
        SendAttempt second = attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(20), "email");
        SendAttempt first = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(10), "sms");
        SendAttempt third = attempt(f, -1, 1, MessagePurpose.SLOT_OFFER, AttemptState.PENDING, T0.plusSeconds(30), null);
        // The same moment: the one-by-one read breaks the tie by step.
        SendAttempt laterStep = attempt(g, 1, 1, MessagePurpose.OUTREACH, AttemptState.FAILED, T0.plusSeconds(40), "b");
        SendAttempt earlierStep = attempt(g, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(40), "a");
        Patient foreign = new Patient(PatientId.random(), otherPractice, null, "Oli", "Att", p.phone(), null, Language.ENGLISH, null);
        FollowUp foreignFollowUp = FollowUp.open(FollowUpId.random(), otherPractice, foreign.id(), new Provider("dr-m", "Dr. Martinez"),
                FollowUpType.GENERAL, PreferredWindow.ANY, null, BatchId.of("batch-o"), "need-bulk-att-other", "standard", T0, T0);
        SendAttempt foreignAttempt = attemptIn(otherPractice, foreignFollowUp, foreign.id(), 0, MessagePurpose.OUTREACH,
                AttemptState.SENT, T0);
        run(tx -> {
            tx.savePatient(p);
            List.of(f, g, none).forEach(tx::insertFollowUp);
            List.of(second, laterStep, third, first, earlierStep).forEach(tx::insertAttempt);
        });
        inOther(tx -> {
            tx.savePatient(foreign);
            tx.insertFollowUp(foreignFollowUp);
            tx.insertAttempt(foreignAttempt);
        });
        List<FollowUpId> followUpIds = List.of(f.id(), g.id(), none.id(), FollowUpId.random(), f.id(), foreignFollowUp.id());
        List<String> attemptIds = List.of(first.id(), third.id(), "att-no-such", first.id(), laterStep.id(), foreignAttempt.id());
        run(tx -> {
            PracticeTransaction oneByOne = oneByOne(tx);
            Map<FollowUpId, List<SendAttempt>> attemptsOf = tx.attemptsOfFollowUps(followUpIds);
            assertThat(attemptsOf).isEqualTo(oneByOne.attemptsOfFollowUps(followUpIds))
                    .containsOnlyKeys(f.id(), g.id(), none.id(), followUpIds.get(3), foreignFollowUp.id())
                    .containsEntry(f.id(), List.of(first, second, third)).containsEntry(none.id(), List.of())
                    .containsEntry(foreignFollowUp.id(), List.of());
            assertThat(attemptsOf.get(g.id())).containsExactlyInAnyOrder(earlierStep, laterStep);
            assertThat(tx.attempts(attemptIds)).isEqualTo(oneByOne.attempts(attemptIds))
                    .containsOnly(Map.entry(first.id(), first), Map.entry(third.id(), third), Map.entry(laterStep.id(), laterStep));
            assertThat(tx.attemptsOfFollowUps(List.of())).isEmpty();
            assertThat(tx.attempts(List.of())).isEmpty();
        });
        inOther(tx -> assertThat(tx.attempts(attemptIds)).containsOnlyKeys(foreignAttempt.id()));
    }

    @Test
    void bulkOutreachCountsEqualTheSumsOfOneByOneCounts() {
        PhoneNumber family = PhoneNumber.ofE164("+14155550170");
        Patient p = patient("Out", "Reach", family);
        Patient q = patient("Out", "Reach-Jr", family);
        Patient r = patient("Solo", "Reach", PhoneNumber.ofE164("+14155550171"));
        FollowUp ofP = followUp(p, "need-bulk-out-1", T0);
        FollowUp ofQ = followUp(q, "need-bulk-out-2", T0);
        FollowUp ofR = followUp(r, "need-bulk-out-3", T0);
        Instant day1 = T0.plus(Duration.ofDays(1));
        Instant day2 = day1.plus(Duration.ofDays(1));
        Patient foreign = new Patient(PatientId.random(), otherPractice, null, "Oli", "Reach", family, null, Language.ENGLISH, null);
        FollowUp foreignFollowUp = FollowUp.open(FollowUpId.random(), otherPractice, foreign.id(), new Provider("dr-m", "Dr. Martinez"),
                FollowUpType.GENERAL, PreferredWindow.ANY, null, BatchId.of("batch-o"), "need-bulk-out-other", "standard", T0, T0);
        run(tx -> {
            List.of(p, q, r).forEach(tx::savePatient);
            List.of(ofP, ofQ, ofR).forEach(tx::insertFollowUp);
            tx.insertAttempt(attempt(ofP, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, day1.minusNanos(1000), "before"));
            tx.insertAttempt(attempt(ofP, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, day1, "at day 1"));
            tx.insertAttempt(attempt(ofP, 2, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, day1.plusSeconds(5), "pending"));
            tx.insertAttempt(attempt(ofP, 3, 1, MessagePurpose.OUTREACH, AttemptState.UNCONFIRMED, day1.plusSeconds(6), "unconfirmed"));
            tx.insertAttempt(attempt(ofP, 4, 1, MessagePurpose.OUTREACH, AttemptState.FAILED, day1.plusSeconds(7), "failed"));
            tx.insertAttempt(attempt(ofP, -1, 1, MessagePurpose.SLOT_OFFER, AttemptState.SENT, day1.plusSeconds(8), "reply"));
            tx.insertAttempt(attempt(ofP, 5, 1, MessagePurpose.OUTREACH, AttemptState.SENT, day2.plusSeconds(2), "day 2"));
            tx.insertAttempt(attempt(ofQ, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, day1.plusSeconds(9), "sibling"));
            tx.insertAttempt(attempt(ofQ, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, day2.plusSeconds(1), "sibling day 2"));
            tx.insertAttempt(attempt(ofR, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, day2, "solo"));
        });
        inOther(tx -> {
            tx.savePatient(foreign);
            tx.insertFollowUp(foreignFollowUp);
            tx.insertAttempt(attemptIn(otherPractice, foreignFollowUp, foreign.id(), 0, MessagePurpose.OUTREACH, AttemptState.SENT, day2));
            // Outreach of another practice to a patient with the same id: not this practice's to count.
            tx.insertAttempt(attemptIn(otherPractice, foreignFollowUp, p.id(), 1, MessagePurpose.OUTREACH, AttemptState.SENT, day2));
        });
        List<OutreachWindow> windows = List.of(
                new OutreachWindow(Set.of(p.id(), q.id()), day1),
                new OutreachWindow(Set.of(p.id()), day1.minusSeconds(1)),
                new OutreachWindow(Set.of(q.id()), day2),
                new OutreachWindow(Set.of(r.id()), day1),
                new OutreachWindow(Set.of(PatientId.random()), T0),
                new OutreachWindow(Set.of(foreign.id(), p.id()), day2),
                new OutreachWindow(Set.of(p.id(), q.id()), day1),
                new OutreachWindow(Set.of(p.id(), q.id(), r.id()), day2.plus(Duration.ofDays(10))));
        run(tx -> {
            assertThat(tx.outreachCounts(windows)).isEqualTo(oneByOne(tx).outreachCounts(windows))
                    .containsExactly(6, 5, 1, 1, 0, 1, 6, 0);
            assertThat(tx.outreachCounts(List.of())).isEmpty();
        });
        inOther(tx -> assertThat(tx.outreachCounts(windows)).containsExactly(1, 1, 0, 0, 0, 2, 1, 0));
    }

    @Test
    void bulkConsentReadsPickTheLatestEntryLikeTheOneByOneReads() {
        PatientId optedBackOut = PatientId.random();
        PatientId once = PatientId.random();
        PatientId never = PatientId.random();
        PatientId foreignOnly = PatientId.random();
        PhoneNumber shared = PhoneNumber.ofE164("+14155550172");
        PhoneNumber tied = PhoneNumber.ofE164("+14155550173");
        PhoneNumber silent = PhoneNumber.ofE164("+14155550174");
        ConsentChange firstOut = consent(practice, optedBackOut, shared, ConsentStatus.OPTED_OUT, T0);
        ConsentChange backIn = consent(practice, optedBackOut, null, ConsentStatus.OPTED_IN, T0.plusSeconds(60));
        // Recorded after backIn at the same moment: the later entry wins the tie.
        ConsentChange outAgain = consent(practice, optedBackOut, null, ConsentStatus.OPTED_OUT, T0.plusSeconds(60));
        ConsentChange onlyOne = consent(practice, once, null, ConsentStatus.OPTED_IN, T0.plusSeconds(5));
        ConsentChange unmatchedStart = consent(practice, null, shared, ConsentStatus.OPTED_IN, T0.plusSeconds(120));
        ConsentChange tiedIn = consent(practice, null, tied, ConsentStatus.OPTED_IN, T0.plusSeconds(30));
        ConsentChange tiedOut = consent(practice, null, tied, ConsentStatus.OPTED_OUT, T0.plusSeconds(30));
        run(tx -> List.of(firstOut, backIn, onlyOne, unmatchedStart, tiedIn).forEach(tx::recordConsent));
        run(tx -> List.of(outAgain, tiedOut).forEach(tx::recordConsent));
        inOther(tx -> {
            // Later entries of another practice, for the same patient ids and numbers: never this practice's answer.
            tx.recordConsent(consent(otherPractice, optedBackOut, shared, ConsentStatus.OPTED_IN, T0.plusSeconds(900)));
            tx.recordConsent(consent(otherPractice, foreignOnly, tied, ConsentStatus.OPTED_IN, T0.plusSeconds(900)));
        });
        List<PatientId> patientIds = List.of(optedBackOut, once, never, optedBackOut, foreignOnly);
        PhoneNumber sharedOtherLine = otherLineType(shared);
        List<PhoneNumber> phones = List.of(shared, tied, silent, shared, sharedOtherLine);
        run(tx -> {
            PracticeTransaction oneByOne = oneByOne(tx);
            assertThat(tx.latestConsentsOfPatients(patientIds)).isEqualTo(oneByOne.latestConsentsOfPatients(patientIds))
                    .containsOnly(Map.entry(optedBackOut, outAgain), Map.entry(once, onlyOne));
            assertThat(tx.latestConsentsOfPhones(phones)).isEqualTo(oneByOne.latestConsentsOfPhones(phones))
                    .containsOnly(Map.entry(shared, unmatchedStart), Map.entry(sharedOtherLine, unmatchedStart), Map.entry(tied, tiedOut));
            assertThat(tx.latestConsentsOfPatients(List.of())).isEmpty();
            assertThat(tx.latestConsentsOfPhones(List.of())).isEmpty();
        });
        inOther(tx -> assertThat(tx.latestConsentsOfPatients(patientIds)).containsOnlyKeys(optedBackOut, foreignOnly));
    }

    @Test
    void theConsentThatAppliesToAPatientWeighsTheirOwnEntryAgainstTheirNumbers() {
        PatientId laterByPhone = PatientId.random();
        PatientId laterOwn = PatientId.random();
        PatientId tie = PatientId.random();
        PatientId phoneOnly = PatientId.random();
        PatientId ownOnly = PatientId.random();
        PatientId none = PatientId.random();
        PhoneNumber a = PhoneNumber.ofE164("+14155550181");
        PhoneNumber b = PhoneNumber.ofE164("+14155550182");
        PhoneNumber c = PhoneNumber.ofE164("+14155550183");
        PhoneNumber d = PhoneNumber.ofE164("+14155550184");
        PhoneNumber silent = PhoneNumber.ofE164("+14155550185");
        ConsentChange stopByText = consent(practice, null, a, ConsentStatus.OPTED_OUT, T0.plusSeconds(60));
        ConsentChange ownLater = consent(practice, laterOwn, null, ConsentStatus.OPTED_IN, T0.plusSeconds(90));
        ConsentChange tieOwn = consent(practice, tie, null, ConsentStatus.OPTED_IN, T0.plusSeconds(30));
        ConsentChange ownOnlyEntry = consent(practice, ownOnly, null, ConsentStatus.OPTED_OUT, T0);
        run(tx -> {
            tx.recordConsent(consent(practice, laterByPhone, null, ConsentStatus.OPTED_IN, T0));
            tx.recordConsent(stopByText);
            tx.recordConsent(consent(practice, null, b, ConsentStatus.OPTED_OUT, T0.plusSeconds(30)));
            tx.recordConsent(ownLater);
            tx.recordConsent(tieOwn);
            tx.recordConsent(consent(practice, null, c, ConsentStatus.OPTED_OUT, T0.plusSeconds(30)));
            tx.recordConsent(consent(practice, null, d, ConsentStatus.OPTED_OUT, T0.plusSeconds(45)));
            tx.recordConsent(ownOnlyEntry);
        });
        // Another practice's later entries for the same ids and numbers never count.
        inOther(tx -> tx.recordConsent(consent(otherPractice, none, silent, ConsentStatus.OPTED_OUT, T0.plusSeconds(900))));
        run(tx -> {
            PracticeTransaction oneByOne = oneByOne(tx);
            Map<PatientId, PhoneNumber> cases = new java.util.LinkedHashMap<>();
            cases.put(laterByPhone, a);
            cases.put(laterOwn, b);
            cases.put(tie, c);
            cases.put(phoneOnly, d);
            cases.put(ownOnly, silent);
            cases.put(none, silent);
            cases.forEach((patient, phone) -> assertThat(tx.consentOf(patient, phone)).as("patient %s", patient)
                    .isEqualTo(oneByOne.consentOf(patient, phone)));
            assertThat(tx.consentOf(laterByPhone, a)).contains(stopByText);
            assertThat(tx.consentOf(laterOwn, b)).contains(ownLater);
            assertThat(tx.consentOf(tie, c)).as("a tie stands with the patient's own entry").contains(tieOwn);
            assertThat(tx.consentOf(phoneOnly, d)).map(ConsentChange::status).contains(ConsentStatus.OPTED_OUT);
            assertThat(tx.consentOf(ownOnly, silent)).contains(ownOnlyEntry);
            assertThat(tx.consentOf(ownOnly, null)).contains(ownOnlyEntry);
            assertThat(tx.consentOf(none, silent)).isEmpty();
            assertThat(tx.consentOf(laterByPhone, null)).map(ConsentChange::status).contains(ConsentStatus.OPTED_IN);
        });
    }

    @Test
    void bulkSuppressionReadEqualsItsOneByOneAnswers() {
        PatientId both = PatientId.random();
        PatientId emailOnly = PatientId.random();
        PatientId none = PatientId.random();
        run(tx -> {
            tx.suppress(new ChannelSuppression(practice, both, Channel.SMS, "21614", T0));
            tx.suppress(new ChannelSuppression(practice, both, Channel.SMS, "21211", T0.plusSeconds(1)));
            tx.suppress(new ChannelSuppression(practice, both, Channel.EMAIL, "bounce", T0.plusSeconds(2)));
            tx.suppress(new ChannelSuppression(practice, emailOnly, Channel.EMAIL, "bounce", T0));
        });
        inOther(tx -> tx.suppress(new ChannelSuppression(otherPractice, emailOnly, Channel.SMS, "21614", T0)));
        List<PatientId> ids = List.of(both, emailOnly, none, both);
        run(tx -> {
            assertThat(tx.suppressedChannelsOf(ids)).isEqualTo(oneByOne(tx).suppressedChannelsOf(ids))
                    .containsOnly(Map.entry(both, EnumSet.of(Channel.SMS, Channel.EMAIL)), Map.entry(emailOnly, EnumSet.of(Channel.EMAIL)),
                            Map.entry(none, EnumSet.noneOf(Channel.class)));
            assertThat(tx.suppressedChannelsOf(List.of())).isEmpty();
        });
    }

    /**
     * Lifting a channel's suppressions of some patients removes every suppression of that channel
     * they have, and nothing else: their other channel's, other patients', another practice's; a
     * lift in a transaction that fails is undone.
     */
    @Test
    void liftingAChannelsSuppressionsLeavesOtherChannelsPatientsAndPracticesAlone() {
        PatientId lifted = PatientId.random();
        PatientId kept = PatientId.random();
        run(tx -> {
            tx.suppress(new ChannelSuppression(practice, lifted, Channel.SMS, "21614", T0));
            tx.suppress(new ChannelSuppression(practice, lifted, Channel.SMS, "21211", T0.plusSeconds(1)));
            tx.suppress(new ChannelSuppression(practice, lifted, Channel.EMAIL, "bounce", T0.plusSeconds(2)));
            tx.suppress(new ChannelSuppression(practice, kept, Channel.SMS, "21211", T0));
        });
        inOther(tx -> tx.suppress(new ChannelSuppression(otherPractice, lifted, Channel.SMS, "21614", T0)));

        assertThatThrownBy(() -> run(tx -> {
            tx.liftSuppressions(Channel.SMS, List.of(lifted));
            throw new IllegalStateException("the transaction fails after the lift");
        })).isInstanceOf(RuntimeException.class);
        run(tx -> assertThat(tx.suppressedChannels(lifted)).as("after a failed transaction").containsOnly(Channel.SMS, Channel.EMAIL));
        run(tx -> {
            tx.liftSuppressions(Channel.SMS, List.of(lifted));
            tx.liftSuppressions(Channel.EMAIL, List.of());
        });

        run(tx -> {
            assertThat(tx.suppressedChannels(lifted)).containsOnly(Channel.EMAIL);
            assertThat(tx.suppressedChannels(kept)).containsOnly(Channel.SMS);
        });
        inOther(tx -> assertThat(tx.suppressedChannels(lifted)).containsOnly(Channel.SMS));
    }

    private static ConsentChange consent(PracticeId owner, @Nullable PatientId patientId, @Nullable PhoneNumber phone,
            ConsentStatus status, Instant at) {
        return new ConsentChange(owner, patientId, phone, status, ConsentSource.STAFF, at);
    }

    /** @return the same number with another line type: a distinct key for a map, the same number for a lookup */
    private static PhoneNumber otherLineType(PhoneNumber phone) {
        return new PhoneNumber(phone.e164(),
                phone.lineType() == PhoneNumber.LineType.MOBILE ? PhoneNumber.LineType.UNKNOWN : PhoneNumber.LineType.MOBILE);
    }

    private static SendAttempt attemptIn(PracticeId owner, FollowUp f, PatientId patientId, int step, MessagePurpose purpose,
            AttemptState state, Instant at) {
        return new SendAttempt("att-" + java.util.UUID.randomUUID(), owner, f.id(), patientId, Channel.SMS, purpose, step, 1, state, null,
                null, null, "foreign", 1, new BigDecimal("0.0079"), at, at);
    }

    // ------------------------------------------------------------------ follow-ups

    @Test
    void followUpRoundTripsEveryField() {
        Patient p = patient("Sarah", "Connor", PhoneNumber.ofE164("+14155550150"));
        FollowUp open = followUp(p, "need-open", T0.plusSeconds(7200));
        List<Slot> slots = List.of(
                new Slot("slot:1/ä b", "dr-m", T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(3)).plusSeconds(1800)),
                new Slot("slot-2\twith:colon 5:x", "dr-m", T0.plus(Duration.ofDays(4)), T0.plus(Duration.ofDays(4)).plusSeconds(900)));
        FollowUp full = new FollowUp(FollowUpId.random(), practice, p.id(), new Provider("dr-m", "Dr. Martínez"),
                FollowUpType.of("post-op"), new PreferredWindow(EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.SATURDAY),
                        LocalTime.of(7, 30), LocalTime.of(11, 45, 10, 123_000)),
                LocalDate.of(2026, 4, 30), BatchId.of("batch-1"), "need-full", "standard", FollowUpState.ENGAGED, 2,
                T0.plusSeconds(86_400), T0, T0.plusSeconds(60), Channel.EMAIL, T0.plusSeconds(120), Channel.SMS, null,
                slots, 1, 5);
        FollowUp closed = new FollowUp(FollowUpId.random(), practice, p.id(), new Provider("dr-k", "Dr. K"), FollowUpType.GENERAL,
                PreferredWindow.ANY, null, BatchId.of("batch-2"), "need-closed", "standard", FollowUpState.BOOKED, 3, null, T0,
                T0.plusSeconds(1), Channel.SMS, T0.plusSeconds(2), Channel.SMS, T0.plusSeconds(3), List.of(), 2, 9);
        run(tx -> {
            tx.savePatient(p);
            assertThat(tx.insertFollowUp(open)).isTrue();
            assertThat(tx.insertFollowUp(full)).isTrue();
            assertThat(tx.insertFollowUp(closed)).isTrue();
        });
        run(tx -> {
            assertThat(tx.followUp(open.id())).contains(open);
            assertThat(tx.followUp(full.id())).contains(full);
            assertThat(tx.followUp(closed.id())).contains(closed);
            assertThat(tx.followUpByNeedKey("need-full")).contains(full);
            assertThat(tx.followUpByNeedKey("need-closed")).contains(closed);
            assertThat(tx.followUpByNeedKey("need-none")).isEmpty();
            assertThat(tx.followUp(FollowUpId.random())).isEmpty();
        });
    }

    @Test
    void insertingASecondFollowUpForTheSameNeedWritesNothing() {
        Patient p = patient("Tom", "Hanks", PhoneNumber.ofE164("+14155550160"));
        FollowUp first = followUp(p, "need-dup", T0);
        FollowUp second = followUp(p, "need-dup", T0.plusSeconds(5));
        run(tx -> {
            tx.savePatient(p);
            assertThat(tx.insertFollowUp(first)).isTrue();
        });
        boolean inserted = tx(tx -> tx.insertFollowUp(second));
        assertThat(inserted).isFalse();
        run(tx -> {
            assertThat(tx.followUp(second.id())).isEmpty();
            assertThat(tx.followUpByNeedKey(first.needKey())).contains(first);
        });
    }

    @Test
    void updateFollowUpIsGuardedByVersion() {
        Patient p = patient("Vera", "Wang", PhoneNumber.ofE164("+14155550170"));
        FollowUp v0 = followUp(p, "need-version", T0);
        storeWith(p, v0);
        FollowUp v1 = v0.stepTaken(Channel.SMS, T0.plusSeconds(1), 1, T0.plus(Duration.ofHours(24)));
        run(tx -> tx.updateFollowUp(v1));
        FollowUp staleNext = v0.rescheduled(T0.plusSeconds(99));
        assertThatThrownBy(() -> run(tx -> tx.updateFollowUp(staleNext))).isInstanceOf(ConcurrentUpdateException.class);
        FollowUp skipped = v1.rescheduled(T0.plusSeconds(5)).rescheduled(T0.plusSeconds(6));
        assertThatThrownBy(() -> run(tx -> tx.updateFollowUp(skipped))).isInstanceOf(ConcurrentUpdateException.class);
        FollowUp v2 = v1.closed(FollowUpState.DECLINED, T0.plusSeconds(10));
        run(tx -> tx.updateFollowUp(v2));
        run(tx -> assertThat(tx.followUp(v0.id())).contains(v2));
    }

    /**
     * A store may send updates later than they are asked for (the SPI allows it): a read later in
     * the same transaction still sees them, and a version race lost by one of them rolls back the
     * whole transaction, writes made before and after it and its audit events included, whenever the
     * store reports it.
     */
    @Test
    void aLostVersionRaceRollsBackTheWholeTransactionAndLaterReadsSeeEarlierUpdates() {
        Patient p = patient("Rhea", "Back", PhoneNumber.ofE164("+14155550172"));
        FollowUp v0 = followUp(p, "need-rollback", T0);
        storeWith(p, v0);
        FollowUp v1 = v0.rescheduled(T0.plusSeconds(1));
        FollowUp v2 = v1.rescheduled(T0.plusSeconds(2));
        run(tx -> {
            tx.updateFollowUp(v1);
            assertThat(tx.followUp(v0.id())).contains(v1);
            tx.updateFollowUp(v2);
            assertThat(tx.followUps(List.of(v0.id()))).containsEntry(v0.id(), v2);
        });
        StaffTask before = task(TaskKind.CALL_PATIENT, null, T0.plusSeconds(3));
        StaffTask after = task(TaskKind.REVIEW_REPLY, null, T0.plusSeconds(4));
        FollowUp stale = v1.rescheduled(T0.plusSeconds(5)); // written over v1, but v2 is stored
        assertThatThrownBy(() -> run(tx -> {
            tx.insertTask(before);
            tx.updateFollowUp(stale);
            tx.insertTask(after);
            tx.appendAudit(audit(AuditType.TASK_OPENED, T0.plusSeconds(6), Map.of()));
        })).isInstanceOf(ConcurrentUpdateException.class);
        run(tx -> {
            assertThat(tx.followUp(v0.id())).contains(v2);
            assertThat(tx.task(before.id())).isEmpty();
            assertThat(tx.task(after.id())).isEmpty();
        });
        // The same lost update as the transaction's last write, which a store may send with its audit events.
        assertRefusedWithItsAuditEvent(tx -> tx.updateFollowUp(stale));
        run(tx -> assertThat(tx.followUp(v0.id())).contains(v2));
    }

    @Test
    void activeFollowUpsExcludesTerminalOnesAndOtherPatients() {
        Patient p = patient("Ada", "Lovelace", PhoneNumber.ofE164("+14155550180"));
        Patient q = patient("Alan", "Turing", PhoneNumber.ofE164("+14155550181"));
        FollowUp active = followUp(p, "need-a1", T0);
        FollowUp contacting = followUp(p, "need-a2", T0).stepTaken(Channel.SMS, T0, 1, T0.plusSeconds(10));
        FollowUp closed = followUp(p, "need-a3", T0).closed(FollowUpState.CANCELLED, T0);
        FollowUp otherPatient = followUp(q, "need-a4", T0);
        run(tx -> {
            tx.savePatient(p);
            tx.savePatient(q);
            List.of(active, contacting, closed, otherPatient).forEach(tx::insertFollowUp);
        });
        run(tx -> {
            assertThat(tx.activeFollowUps(p.id())).containsExactlyInAnyOrder(active, contacting);
            assertThat(tx.activeFollowUps(PatientId.random())).isEmpty();
        });
    }

    // ------------------------------------------------------------------ claims and leases

    @Test
    void claimDueLeasesDueActiveFollowUpsEarliestFirstUpToTheLimit() {
        Instant epoch = claimEpoch();
        Patient p = patient("Due", "Soon", PhoneNumber.ofE164("+14155550190"));
        FollowUp late = followUp(p, "need-c1", epoch.plusSeconds(30));
        FollowUp early = followUp(p, "need-c2", epoch.plusSeconds(10));
        FollowUp middle = followUp(p, "need-c3", epoch.plusSeconds(20));
        FollowUp future = followUp(p, "need-c4", epoch.plusSeconds(3600));
        FollowUp closed = followUp(p, "need-c5", epoch).closed(FollowUpState.EXPIRED, epoch);
        storeWith(p, late, early, middle, future, closed);
        Instant now = epoch.plusSeconds(60);
        Instant leaseUntil = now.plusSeconds(300);
        List<Claim> first = own(store().claimDue(now, 2, "node-a", leaseUntil));
        assertThat(first).extracting(Claim::followUpId).containsExactly(early.id(), middle.id());
        assertThat(first).allSatisfy(c -> {
            assertThat(c.practiceId()).isEqualTo(practice);
            assertThat(c.owner()).isEqualTo("node-a");
            assertThat(c.leaseUntil()).isEqualTo(leaseUntil);
        });
        List<Claim> rest = own(store().claimDue(now, 10, "node-b", leaseUntil));
        assertThat(rest).extracting(Claim::followUpId).containsExactly(late.id());
        assertThat(own(store().claimDue(now, 10, "node-c", leaseUntil))).isEmpty();
    }

    @Test
    void oldestDueIsTheEarliestDueTimeOfAnActiveFollowUpLeasedOrNot() {
        Instant epoch = claimEpoch();
        Patient p = patient("Old", "Est", PhoneNumber.ofE164("+14155550195"));
        FollowUp early = followUp(p, "need-o1", epoch.plusSeconds(10));
        FollowUp later = followUp(p, "need-o2", epoch.plusSeconds(20));
        FollowUp closed = followUp(p, "need-o3", epoch).closed(FollowUpState.EXPIRED, epoch);
        storeWith(p, early, later, closed);
        assertThat(store().oldestDue(epoch.plusSeconds(5))).isEmpty();
        Instant now = epoch.plusSeconds(60);
        assertThat(store().oldestDue(now)).contains(epoch.plusSeconds(10));
        // A claimed step is still waiting to be taken: a lease does not hide it.
        assertThat(own(store().claimDue(now, 1, "node-a", now.plusSeconds(300)))).extracting(Claim::followUpId).containsExactly(early.id());
        assertThat(store().oldestDue(now)).contains(epoch.plusSeconds(10));
        run(tx -> tx.updateFollowUp(early.rescheduled(epoch.plusSeconds(3600))));
        assertThat(store().oldestDue(now)).contains(epoch.plusSeconds(20));
    }

    @Test
    void leasesAreHeldUntilTheyExpireOrTheirOwnerReleasesThem() {
        Instant epoch = claimEpoch();
        Instant now = epoch.plusSeconds(1);
        Instant leaseUntil = now.plusSeconds(60);
        FollowUp f = claimedByNodeA(PhoneNumber.ofE164("+14155550200"), "need-lease", epoch, now, leaseUntil);
        run(tx -> {
            assertThat(tx.holdsLease(f.id(), "node-a", now)).isTrue();
            assertThat(tx.holdsLease(f.id(), "node-b", now)).isFalse();
            assertThat(tx.holdsLease(f.id(), "node-a", leaseUntil)).isFalse();
            assertThat(tx.leasedFollowUp(f.id(), "node-a", now)).contains(f);
            assertThat(tx.leasedFollowUp(f.id(), "node-b", now)).isEmpty();
            assertThat(tx.leasedFollowUp(f.id(), "node-a", leaseUntil)).isEmpty();
            assertThat(tx.leasedFollowUp(FollowUpId.random(), "node-a", now)).isEmpty();
        });
        // While the lease lives nobody else gets the follow-up.
        assertThat(own(store().claimDue(leaseUntil.minusSeconds(1), 5, "node-b", leaseUntil.plusSeconds(60)))).isEmpty();
        // A new version keeps the lease.
        run(tx -> tx.updateFollowUp(f.rescheduled(epoch)));
        run(tx -> assertThat(tx.holdsLease(f.id(), "node-a", now)).isTrue());
        // Another node cannot release it.
        run(tx -> tx.releaseLease(f.id(), "node-b"));
        run(tx -> assertThat(tx.holdsLease(f.id(), "node-a", now)).isTrue());
        // Expired: claimable by another node (a node that died).
        List<Claim> taken = own(store().claimDue(leaseUntil, 5, "node-b", leaseUntil.plusSeconds(60)));
        assertThat(taken).extracting(Claim::followUpId).containsExactly(f.id());
        run(tx -> {
            assertThat(tx.holdsLease(f.id(), "node-b", leaseUntil)).isTrue();
            assertThat(tx.holdsLease(f.id(), "node-a", now)).isFalse();
        });
        // Released by its owner: claimable at once.
        run(tx -> tx.releaseLease(f.id(), "node-b"));
        run(tx -> assertThat(tx.holdsLease(f.id(), "node-b", leaseUntil)).isFalse());
        assertThat(own(store().claimDue(leaseUntil, 5, "node-c", leaseUntil.plusSeconds(60)))).extracting(Claim::followUpId)
                .containsExactly(f.id());
    }

    /** The reads just before a send, asked together, answer exactly as the lease read and the consent read do apart. */
    @Test
    void theCheckBeforeASendAnswersAsTheLeaseAndConsentReadsDo() {
        Instant epoch = claimEpoch();
        Instant now = epoch.plusSeconds(1);
        Instant leaseUntil = now.plusSeconds(60);
        PhoneNumber phone = PhoneNumber.ofE164("+14155550243");
        PhoneNumber another = PhoneNumber.ofE164("+14155550244");
        FollowUp f = claimedByNodeA(phone, "need-send-check", epoch, now, leaseUntil);
        run(tx -> assertThat(tx.sendCheck(f.id(), "node-a", now, f.patientId(), phone))
                .isEqualTo(new SendCheck(Optional.of(f), Optional.empty())));
        ConsentChange stop = consent(practice, null, phone, ConsentStatus.OPTED_OUT, now);
        run(tx -> tx.recordConsent(stop));
        inOther(tx -> tx.recordConsent(consent(otherPractice, f.patientId(), another, ConsentStatus.OPTED_OUT, now.plusSeconds(5))));

        run(tx -> {
            assertThat(tx.sendCheck(f.id(), "node-a", now, f.patientId(), phone)).isEqualTo(new SendCheck(Optional.of(f), Optional.of(stop)));
            assertThat(tx.sendCheck(f.id(), "node-b", now, f.patientId(), phone)).as("another node's lease")
                    .isEqualTo(new SendCheck(Optional.empty(), Optional.of(stop)));
            assertThat(tx.sendCheck(f.id(), "node-a", leaseUntil, f.patientId(), phone)).as("the lease ran out")
                    .isEqualTo(new SendCheck(Optional.empty(), Optional.of(stop)));
            assertThat(tx.sendCheck(f.id(), "node-a", now, f.patientId(), another)).as("only another practice named that number")
                    .isEqualTo(new SendCheck(Optional.of(f), Optional.empty()));
            assertThat(tx.sendCheck(f.id(), "node-a", now, f.patientId(), null)).isEqualTo(new SendCheck(Optional.of(f), Optional.empty()));
            PracticeTransaction oneByOne = oneByOne(tx);
            for (String owner : List.of("node-a", "node-b")) {
                assertThat(tx.sendCheck(f.id(), owner, now, f.patientId(), phone))
                        .isEqualTo(oneByOne.sendCheck(f.id(), owner, now, f.patientId(), phone));
            }
        });
        inOther(tx -> assertThat(tx.sendCheck(f.id(), "node-a", now, f.patientId(), another)).as("another practice's transaction")
                .isEqualTo(new SendCheck(Optional.empty(), Optional.of(consent(otherPractice, f.patientId(), another,
                        ConsentStatus.OPTED_OUT, now.plusSeconds(5))))));
    }

    /**
     * The check just before a text is recorded, with the contact limits' windows: it answers the
     * lease and consent as the plain check does, and counts the outreach of the patient and of the
     * practice's other patients with their number as {@link PracticeTransaction#outreachCounts} does
     * for the patients {@link PracticeTransaction#lockRecipient} covers.
     */
    @Test
    void theCheckBeforeRecordingATextCountsTheOutreachOfEveryoneWithTheNumber() {
        Instant epoch = claimEpoch();
        Instant now = epoch.plusSeconds(1);
        Instant leaseUntil = now.plusSeconds(60);
        PhoneNumber family = PhoneNumber.ofE164("+14155550245");
        FollowUp f = claimedByNodeA(family, "need-send-check-counts", epoch, now, leaseUntil);
        Patient sibling = patient("Sib", "Sing", family);
        FollowUp ofSibling = followUp(sibling, "need-send-check-sibling", T0);
        Patient stranger = patient("Other", "Number", PhoneNumber.ofE164("+14155550246"));
        FollowUp ofStranger = followUp(stranger, "need-send-check-stranger", T0);
        Instant earlier = now.minus(Duration.ofDays(3));
        run(tx -> {
            List.of(sibling, stranger).forEach(tx::savePatient);
            List.of(ofSibling, ofStranger).forEach(tx::insertFollowUp);
            tx.insertAttempt(attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, earlier, "three days ago"));
            tx.insertAttempt(attempt(ofSibling, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, now.minusSeconds(30), "sibling"));
            tx.insertAttempt(attempt(ofSibling, -1, 1, MessagePurpose.SLOT_OFFER, AttemptState.SENT, now.minusSeconds(20), "a reply"));
            tx.insertAttempt(attempt(ofStranger, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, now.minusSeconds(10), "stranger"));
        });
        ConsentChange stop = consent(practice, null, family, ConsentStatus.OPTED_OUT, now.minusSeconds(5));
        run(tx -> tx.recordConsent(stop));
        List<Instant> starts = List.of(now.minusSeconds(60), now.minus(Duration.ofDays(7)), now);

        run(tx -> {
            SendCheck check = tx.sendCheck(f.id(), "node-a", now, f.patientId(), family, starts);
            assertThat(check.outreachCounts()).containsExactly(1, 2, 0);
            assertThat(check.leasedFollowUp()).contains(f);
            assertThat(check.consent()).as("the family's STOP").contains(stop);
            assertThat(new SendCheck(check.leasedFollowUp(), check.consent())).isEqualTo(tx.sendCheck(f.id(), "node-a", now, f.patientId(), family));
            Set<PatientId> recipients = Set.copyOf(tx.lockRecipient(f.patientId(), family));
            assertThat(recipients).containsExactlyInAnyOrder(f.patientId(), sibling.id());
            assertThat(check.outreachCounts()).isEqualTo(tx.outreachCounts(starts.stream().map(since -> new OutreachWindow(recipients, since)).toList()))
                    .isEqualTo(oneByOne(tx).sendCheck(f.id(), "node-a", now, f.patientId(), family, starts).outreachCounts());
            assertThat(tx.sendCheck(f.id(), "node-a", now, f.patientId(), null, starts).outreachCounts()).as("without a number: the patient alone")
                    .containsExactly(0, 1, 0);
        });
    }

    /**
     * The reads before a reply is decided, asked together, answer exactly as the reads apart do: two
     * patients sharing the number (one with two open follow-ups and a closed one, and a consent entry
     * that a later entry on the number overrides; one with nothing), a number no patient has, and
     * another practice's patient and entries on the same number.
     */
    @Test
    void theReadsBeforeAReplyIsDecidedAnswerAsTheReadsApartDo() {
        PhoneNumber shared = PhoneNumber.ofE164("+14155550251");
        PhoneNumber nobodys = PhoneNumber.ofE164("+14155550252");
        Patient ann = patient("Ann", "Share", shared);
        Patient ben = patient("Ben", "Share", shared);
        FollowUp first = created(ann, "need-reply-1", T0);
        FollowUp second = created(ann, "need-reply-2", T0.plusSeconds(1));
        FollowUp closed = created(ann, "need-reply-3", T0.plusSeconds(2));
        storeWith(ann, first, second, closed);
        storeWith(ben);
        run(tx -> {
            tx.updateFollowUp(closed.closed(FollowUpState.DECLINED, T0.plusSeconds(3)));
            tx.recordConsent(consent(practice, ann.id(), null, ConsentStatus.OPTED_OUT, T0.plusSeconds(4)));
            tx.recordConsent(consent(practice, null, shared, ConsentStatus.OPTED_IN, T0.plusSeconds(5)));
            tx.recordConsent(consent(practice, null, nobodys, ConsentStatus.OPTED_OUT, T0.plusSeconds(6)));
        });
        Patient stranger = new Patient(PatientId.random(), otherPractice, null, "Oth", "Er", shared, null, Language.ENGLISH, null);
        inOther(tx -> {
            tx.savePatient(stranger);
            tx.recordConsent(consent(otherPractice, stranger.id(), null, ConsentStatus.OPTED_OUT, T0.plusSeconds(7)));
            tx.recordConsent(consent(otherPractice, null, shared, ConsentStatus.OPTED_OUT, T0.plusSeconds(8)));
        });

        run(tx -> {
            ReplyContext context = tx.replyContext(shared);
            assertThat(context).isEqualTo(oneByOne(tx).replyContext(shared));
            assertThat(context.patients()).containsExactlyElementsOf(tx.patientsByPhone(shared)).hasSize(2);
            assertThat(context.activeFollowUpsOf(ann.id())).containsExactly(first, second);
            assertThat(context.activeFollowUpsOf(ben.id())).isEmpty();
            assertThat(context.consentOf(ann.id())).isEqualTo(tx.consentOf(ann.id(), shared))
                    .hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(ConsentStatus.OPTED_IN));
            assertThat(context.consentOf(ben.id())).isEqualTo(tx.consentOf(ben.id(), shared));
            ReplyContext nobody = tx.replyContext(nobodys);
            assertThat(nobody).isEqualTo(oneByOne(tx).replyContext(nobodys));
            assertThat(nobody.patients()).isEmpty();
            assertThat(nobody.numberConsent()).isEqualTo(tx.latestConsentOf(nobodys)).isPresent();
        });
        inOther(tx -> assertThat(tx.replyContext(shared)).as("another practice's transaction")
                .isEqualTo(new ReplyContext(List.of(stranger), Map.of(),
                        Map.of(stranger.id(), consent(otherPractice, stranger.id(), null, ConsentStatus.OPTED_OUT, T0.plusSeconds(7))),
                        Optional.of(consent(otherPractice, null, shared, ConsentStatus.OPTED_OUT, T0.plusSeconds(8))))));
    }

    /** Stores a patient with one follow-up due at {@code due}, which {@code node-a} then claims. */
    private FollowUp claimedByNodeA(PhoneNumber phone, String need, Instant due, Instant now, Instant leaseUntil) {
        Patient p = patient("Lea", "Sing", phone);
        FollowUp f = followUp(p, need, due);
        storeWith(p, f);
        assertThat(own(store().claimDue(now, 5, "node-a", leaseUntil))).extracting(Claim::followUpId).containsExactly(f.id());
        return f;
    }

    @Test
    void anUpdateThatReleasesTheLeaseWritesTheVersionAndReleasesOnlyItsOwnersLease() {
        Instant epoch = claimEpoch();
        Instant now = epoch.plusSeconds(1);
        Instant leaseUntil = now.plusSeconds(60);
        FollowUp f = claimedByNodeA(PhoneNumber.ofE164("+14155550205"), "need-release", epoch, now, leaseUntil);
        // Another node's release keeps node-a's lease, but the new version is written.
        FollowUp second = f.rescheduled(epoch.plusSeconds(5));
        run(tx -> tx.updateFollowUpAndRelease(second, "node-b"));
        run(tx -> {
            assertThat(tx.holdsLease(f.id(), "node-a", now)).isTrue();
            assertThat(tx.followUp(f.id())).contains(second);
        });
        // A stale version is refused and the lease kept.
        assertThatThrownBy(() -> run(tx -> tx.updateFollowUpAndRelease(f.rescheduled(epoch.plusSeconds(9)), "node-a")))
                .isInstanceOf(ConcurrentUpdateException.class);
        run(tx -> assertThat(tx.holdsLease(f.id(), "node-a", now)).isTrue());
        // Its owner's: written and released in one, claimable at once by another node.
        FollowUp third = second.rescheduled(epoch.plusSeconds(7));
        run(tx -> tx.updateFollowUpAndRelease(third, "node-a"));
        run(tx -> {
            assertThat(tx.holdsLease(f.id(), "node-a", now)).isFalse();
            assertThat(tx.followUp(f.id())).contains(third);
        });
        Instant due = epoch.plusSeconds(10);
        assertThat(own(store().claimDue(due, 5, "node-c", due.plusSeconds(60)))).extracting(Claim::followUpId).containsExactly(f.id());
    }

    @Test
    @Timeout(120)
    void concurrentClaimersNeverReceiveTheSameFollowUp() throws Exception {
        Instant epoch = claimEpoch();
        Patient p = patient("Many", "Rows", PhoneNumber.ofE164("+14155550210"));
        List<FollowUpId> ids = new ArrayList<>();
        run(tx -> {
            tx.savePatient(p);
            for (int i = 0; i < 60; i++) {
                FollowUp f = followUp(p, "need-many-" + i, epoch.plusMillis(i));
                tx.insertFollowUp(f);
                ids.add(f.id());
            }
        });
        Instant now = epoch.plusSeconds(10);
        Instant leaseUntil = now.plusSeconds(600);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Claim>>> results = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<Claim> mine = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        mine.addAll(own(store().claimDue(now, 7, node, leaseUntil)));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Claim> a = results.get(0).get(90, TimeUnit.SECONDS);
            List<Claim> b = results.get(1).get(90, TimeUnit.SECONDS);
            Set<FollowUpId> fromA = new HashSet<>();
            a.forEach(c -> fromA.add(c.followUpId()));
            Set<FollowUpId> fromB = new HashSet<>();
            b.forEach(c -> fromB.add(c.followUpId()));
            assertThat(fromA).hasSize(a.size());
            assertThat(fromB).hasSize(b.size());
            Set<FollowUpId> both = new HashSet<>(fromA);
            both.retainAll(fromB);
            assertThat(both).as("follow-ups claimed by both nodes").isEmpty();
            Set<FollowUpId> all = new HashSet<>(fromA);
            all.addAll(fromB);
            assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ send attempts

    @Test
    void attemptRoundTripsEveryFieldAndUpdates() {
        Patient p = patient("Ana", "Ruiz", PhoneNumber.ofE164("+14155550220"));
        FollowUp f = followUp(p, "need-attempt", T0);
        SendAttempt pending = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0,
                "Hola Ana, el Dr. Martínez recomienda una visita de seguimiento. Responde SÍ 👍");
        SendAttempt noBody = new SendAttempt("att-" + java.util.UUID.randomUUID(), practice, null, null, Channel.EMAIL,
                MessagePurpose.HELP, -1, 1, AttemptState.FAILED, DeliveryStatus.UNDELIVERED, "prov-x", "30003", null, 0,
                new BigDecimal("0.00"), T0.plusSeconds(1), T0.plusSeconds(2));
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertAttempt(pending);
            tx.insertAttempt(noBody);
        });
        run(tx -> {
            assertThat(tx.attempt(pending.id())).contains(pending);
            assertThat(tx.attempt(noBody.id())).contains(noBody);
            assertThat(tx.attempt("no-such-attempt")).isEmpty();
        });
        String providerId = "SM" + java.util.UUID.randomUUID().toString().replace("-", "");
        SendAttempt sent = pending.sent(providerId, DeliveryStatus.QUEUED, T0.plusSeconds(3));
        run(tx -> tx.updateAttempt(sent));
        run(tx -> {
            assertThat(tx.attempt(pending.id())).contains(sent);
            assertThat(tx.attemptByProviderId(providerId)).contains(sent);
            assertThat(tx.attemptByProviderId("SM-none")).isEmpty();
        });
    }

    @Test
    void attemptsOfListsAFollowUpsAttemptsOldestFirst() {
        Patient p = patient("Old", "First", PhoneNumber.ofE164("+14155550230"));
        FollowUp f = followUp(p, "need-order", T0);
        FollowUp g = followUp(p, "need-order-2", T0);
        SendAttempt second = attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(20), "email");
        SendAttempt first = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(10), "sms");
        SendAttempt third = attempt(f, -1, 1, MessagePurpose.SLOT_OFFER, AttemptState.PENDING, T0.plusSeconds(30), "slots");
        SendAttempt elsewhere = attempt(g, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(15), "other");
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertFollowUp(g);
            List.of(second, third, first, elsewhere).forEach(tx::insertAttempt);
        });
        run(tx -> {
            assertThat(tx.attemptsOf(f.id())).containsExactly(first, second, third);
            assertThat(tx.attemptsOf(FollowUpId.random())).isEmpty();
        });
    }

    @Test
    void aSecondAttemptWithTheSameDedupeKeyOrIdIsRefused() {
        Patient p = patient("No", "Twice", PhoneNumber.ofE164("+14155550240"));
        FollowUp f = followUp(p, "need-dedupe", T0);
        SendAttempt original = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "first");
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertAttempt(original);
        });
        SendAttempt sameStep = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0.plusSeconds(1), "second");
        assertThat(sameStep.dedupeKey()).isEqualTo(original.dedupeKey());
        assertThatThrownBy(() -> run(tx -> tx.insertAttempt(sameStep))).isInstanceOf(ConcurrentUpdateException.class);
        SendAttempt sameId = new SendAttempt(original.id(), practice, f.id(), p.id(), Channel.SMS, MessagePurpose.OUTREACH, 1, 1,
                AttemptState.PENDING, null, null, null, "third", 1, new BigDecimal("0.0079"), T0, T0);
        assertThatThrownBy(() -> run(tx -> tx.insertAttempt(sameId))).isInstanceOf(ConcurrentUpdateException.class);
        run(tx -> {
            assertThat(tx.attemptsOf(f.id())).containsExactly(original);
            // A retry of the same step is a new attempt number: allowed.
            tx.insertAttempt(attempt(f, 0, 2, MessagePurpose.OUTREACH, AttemptState.PENDING, T0.plusSeconds(2), "retry"));
        });
        run(tx -> assertThat(tx.attemptsOf(f.id())).hasSize(2));
    }

    /**
     * A store may send an attempt insert late, with the transaction's audit events (the JDBC store
     * does on PostgreSQL): its refusal must still take the whole transaction back, events included.
     */
    @Test
    void aRefusedAttemptInsertKeepsNothingOfItsTransactionNotEvenItsAuditEvents() {
        Patient p = patient("Once", "Only", PhoneNumber.ofE164("+14155550241"));
        FollowUp f = followUp(p, "need-refused-with-audit", T0);
        SendAttempt original = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "first");
        storeWith(p, f);
        run(tx -> {
            tx.insertAttempt(original);
            tx.appendAudit(new AuditRecord(AuditType.MESSAGE_PREPARED, "engine", f.id(), p.id(), Map.of("try", "1"), T0));
        });
        SendAttempt sameStep = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0.plusSeconds(1), "second");

        assertRefusedWithItsAuditEvent(tx -> tx.insertAttempt(sameStep));

        run(tx -> assertThat(tx.attemptsOf(f.id())).containsExactly(original));
    }

    /** Runs {@code write} and an audit event in one transaction: it must fail as a lost race and leave the trail as it was. */
    private void assertRefusedWithItsAuditEvent(Consumer<PracticeTransaction> write) {
        int trailBefore = auditTrail(practice).size();
        assertThatThrownBy(() -> run(tx -> {
            write.accept(tx);
            tx.appendAudit(audit(AuditType.TASK_OPENED, T0.plusSeconds(3), Map.of()));
        })).isInstanceOf(ConcurrentUpdateException.class);
        assertThat(auditTrail(practice)).hasSize(trailBefore);
    }

    /**
     * The provider's answer is written over an attempt only while it is still pending: once a
     * status callback has settled it, the write is refused as a lost race, and its transaction,
     * audit event included, is taken back; the callback's status stays.
     */
    @Test
    void aProvidersAnswerSettlesAnAttemptOnlyWhileItIsPending() {
        TwoPendingAttempts stored = twoPendingAttempts(patient("Settled", "Once", PhoneNumber.ofE164("+14155550243")), "need-settle");
        SendAttempt first = stored.first();
        SendAttempt second = stored.second();
        SendAttempt firstSent = first.sent("SM-settle-1", DeliveryStatus.QUEUED, T0.plusSeconds(1));
        SendAttempt delivered = second.withStatus(DeliveryStatus.DELIVERED, null, "SM-settle-2", T0.plusSeconds(1));
        run(tx -> {
            tx.settleAttempt(firstSent);
            tx.updateAttempt(delivered); // the status callback comes before the send's answer
        });

        assertRefusedWithItsAuditEvent(tx -> tx.settleAttempt(second.sent("SM-settle-2", DeliveryStatus.QUEUED, T0.plusSeconds(2))));

        run(tx -> {
            assertThat(tx.attempt(first.id())).contains(firstSent);
            assertThat(tx.attempt(second.id())).contains(delivered);
        });
        SendAttempt missing = attempt(stored.followUp(), 2, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "never stored");
        assertThatThrownBy(() -> run(tx -> tx.settleAttempt(missing.sent("SM-none", DeliveryStatus.QUEUED, T0))))
                .isInstanceOf(ConcurrentUpdateException.class);
    }

    /**
     * A provider's status report is written only over the delivery status it was checked against:
     * a report another node applied meanwhile makes the write a lost race, its transaction, audit
     * event included, is taken back, and the status stays where that report put it.
     */
    @Test
    void aDeliveryStatusIsWrittenOnlyOverTheStatusItWasCheckedAgainst() {
        TwoPendingAttempts stored = twoPendingAttempts(patient("Status", "Forward", PhoneNumber.ofE164("+14155550244")), "need-status");
        SendAttempt first = stored.first();
        SendAttempt second = stored.second();
        SendAttempt queued = first.sent("SM-status-1", DeliveryStatus.QUEUED, T0.plusSeconds(1));
        run(tx -> tx.settleAttempt(queued));
        SendAttempt delivered = queued.withStatus(DeliveryStatus.DELIVERED, null, "SM-status-1", T0.plusSeconds(2));
        run(tx -> tx.updateDeliveryStatus(delivered, DeliveryStatus.QUEUED));

        // "sent", checked against QUEUED on another node before "delivered" was written
        assertRefusedWithItsAuditEvent(tx -> tx.updateDeliveryStatus(
                queued.withStatus(DeliveryStatus.SENT, null, "SM-status-1", T0.plusSeconds(3)), DeliveryStatus.QUEUED));

        SendAttempt secondDelivered = second.withStatus(DeliveryStatus.DELIVERED, null, "SM-status-2", T0.plusSeconds(2));
        run(tx -> tx.updateDeliveryStatus(secondDelivered, null)); // the first report of an attempt that has none yet
        run(tx -> {
            assertThat(tx.attempt(first.id())).contains(delivered);
            assertThat(tx.attempt(second.id())).contains(secondDelivered);
        });
        SendAttempt missing = attempt(stored.followUp(), 2, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "never stored");
        assertThatThrownBy(() -> run(tx -> tx.updateDeliveryStatus(missing.withStatus(DeliveryStatus.SENT, null, "SM-none", T0), null)))
                .isInstanceOf(ConcurrentUpdateException.class);
    }

    /**
     * A report read before the retention purge and written after it leaves the body purged: it
     * writes what a report changes, not the body it read.
     */
    @Test
    void aDeliveryStatusWrittenAfterThePurgeLeavesTheBodyPurged() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        TwoPendingAttempts stored = twoPendingAttempts(patient("Purged", "Stays", PhoneNumber.ofE164("+14155550246")), "need-purged");
        SendAttempt queued = stored.first().sent("SM-purged-1", DeliveryStatus.QUEUED, T0.plusSeconds(1));
        run(tx -> tx.settleAttempt(queued));
        SendAttempt read = tx(tx -> tx.attempt(queued.id()).orElseThrow());
        int purged = tx(tx -> tx.purgeBodiesBefore(cutoff));
        assertThat(purged).isEqualTo(2);

        Instant reportAt = cutoff.plusSeconds(1);
        run(tx -> tx.updateDeliveryStatus(read.withStatus(DeliveryStatus.DELIVERED, null, "SM-purged-1", reportAt), DeliveryStatus.QUEUED));

        run(tx -> assertThat(tx.attempt(queued.id()))
                .contains(queued.purged().withStatus(DeliveryStatus.DELIVERED, null, "SM-purged-1", reportAt)));
    }

    /**
     * Updates of one attempt in one transaction apply in the order they were asked for, whatever
     * other updates come between them: a store that sends its updates as one batch per statement
     * must not run the later one first.
     */
    @Test
    void updatesOfOneAttemptInOneTransactionApplyInTheOrderAsked() {
        TwoPendingAttempts stored = twoPendingAttempts(patient("Kept", "Inorder", PhoneNumber.ofE164("+14155550245")), "need-order");
        SendAttempt otherAnswered = stored.first().sent("SM-order-1", DeliveryStatus.QUEUED, T0.plusSeconds(1));
        SendAttempt settled = stored.second().sent("SM-order-2", DeliveryStatus.QUEUED, T0.plusSeconds(1));
        SendAttempt delivered = settled.withStatus(DeliveryStatus.DELIVERED, null, "SM-order-2", T0.plusSeconds(2));

        run(tx -> {
            tx.updateAttempt(otherAnswered);
            tx.settleAttempt(settled); // guarded on PENDING: it must run before the update below
            tx.updateAttempt(delivered);
        });

        run(tx -> {
            assertThat(tx.attempt(stored.first().id())).contains(otherAnswered);
            assertThat(tx.attempt(stored.second().id())).contains(delivered);
        });
    }

    /** A stored follow-up and two of its outreach attempts, stored {@code PENDING}. */
    private record TwoPendingAttempts(FollowUp followUp, SendAttempt first, SendAttempt second) {}

    private TwoPendingAttempts twoPendingAttempts(Patient p, String need) {
        FollowUp f = followUp(p, need, T0);
        SendAttempt first = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "first");
        SendAttempt second = attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "second");
        storeWith(p, f);
        run(tx -> {
            tx.insertAttempt(first);
            tx.insertAttempt(second);
        });
        return new TwoPendingAttempts(f, first, second);
    }

    /** An attempt a transaction inserted is there for its own reads and updates, whenever the store sends the insert. */
    @Test
    void anAttemptInsertedInATransactionIsReadAndUpdatedByTheSameTransaction() {
        Patient p = patient("Seen", "Atonce", PhoneNumber.ofE164("+14155550242"));
        FollowUp f = followUp(p, "need-read-own-attempt", T0);
        SendAttempt pending = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "hello");
        SendAttempt sent = pending.sent("SM-own", DeliveryStatus.QUEUED, T0.plusSeconds(1));
        storeWith(p, f);
        int trailBefore = auditTrail(practice).size();

        run(tx -> {
            tx.insertAttempt(pending);
            assertThat(tx.attempt(pending.id())).contains(pending);
            tx.updateAttempt(sent);
            tx.appendAudit(new AuditRecord(AuditType.MESSAGE_SENT, "provider", f.id(), p.id(), Map.of("attempt", pending.id()), T0));
        });

        run(tx -> assertThat(tx.attempt(pending.id())).contains(sent));
        assertThat(auditTrail(practice)).hasSize(trailBefore + 1);

        // Updated at once, with no read in between: the update must not overtake the insert.
        SendAttempt retry = attempt(f, 0, 2, MessagePurpose.OUTREACH, AttemptState.PENDING, T0.plusSeconds(2), "again");
        SendAttempt retrySent = retry.sent("SM-own-2", DeliveryStatus.QUEUED, T0.plusSeconds(3));
        run(tx -> {
            tx.insertAttempt(retry);
            tx.updateAttempt(retrySent);
        });
        run(tx -> assertThat(tx.attempt(retry.id())).contains(retrySent));
    }

    @Test
    void outreachCountSinceCountsSentAndPendingOutreachAcrossFollowUps() {
        Patient p = patient("Count", "Me", PhoneNumber.ofE164("+14155550250"));
        Patient q = patient("Not", "Me", PhoneNumber.ofE164("+14155550251"));
        FollowUp f = followUp(p, "need-count-1", T0);
        FollowUp g = followUp(p, "need-count-2", T0);
        FollowUp h = followUp(q, "need-count-3", T0);
        Instant since = T0.plus(Duration.ofDays(1));
        run(tx -> {
            List.of(p, q).forEach(tx::savePatient);
            List.of(f, g, h).forEach(tx::insertFollowUp);
            tx.insertAttempt(attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, since.minusNanos(1000), "before"));
            tx.insertAttempt(attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, since, "at since"));
            tx.insertAttempt(attempt(g, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, since.plusSeconds(5), "pending"));
            tx.insertAttempt(attempt(g, 1, 1, MessagePurpose.OUTREACH, AttemptState.UNCONFIRMED, since.plusSeconds(6), "unconfirmed"));
            tx.insertAttempt(attempt(g, 2, 1, MessagePurpose.OUTREACH, AttemptState.FAILED, since.plusSeconds(7), "failed"));
            tx.insertAttempt(attempt(g, -1, 1, MessagePurpose.SLOT_OFFER, AttemptState.SENT, since.plusSeconds(8), "reply"));
            tx.insertAttempt(attempt(h, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, since.plusSeconds(9), "other patient"));
        });
        run(tx -> {
            assertThat(tx.outreachCountSince(p.id(), since)).isEqualTo(3);
            assertThat(tx.outreachCountSince(p.id(), since.minusSeconds(1))).isEqualTo(4);
            assertThat(tx.outreachCountSince(q.id(), since)).isEqualTo(1);
            assertThat(tx.outreachCountSince(PatientId.random(), T0)).isZero();
        });
    }

    // ------------------------------------------------------------------ inbound, consent, suppressions

    @Test
    void anInboundMessageIsRecordedOncePerProviderId() {
        InboundMessage m = new InboundMessage(practice, "SM-in-" + java.util.UUID.randomUUID(), PatientId.random(), null,
                ReplyKind.YES, "Sí, por favor ✔", T0);
        assertThat(this.<Boolean>tx(tx -> tx.recordInbound(m))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.recordInbound(m))).isFalse();
        InboundMessage repeatWithOtherBody = new InboundMessage(practice, m.providerMessageId(), null, null, ReplyKind.OTHER,
                "changed", T0.plusSeconds(1));
        assertThat(this.<Boolean>tx(tx -> tx.recordInbound(repeatWithOtherBody))).isFalse();
        InboundMessage noBody = new InboundMessage(practice, "SM-in-" + java.util.UUID.randomUUID(), null, null, ReplyKind.OTHER,
                null, T0);
        assertThat(this.<Boolean>tx(tx -> tx.recordInbound(noBody))).isTrue();
    }

    /**
     * A reply's read tells a repeated text, or leaves that to {@link PracticeTransaction#recordInbound};
     * either way a text is recorded once, and the rest of the read is {@code replyContext(from)}'s.
     */
    @Test
    void aRepliesReadTellsARepeatedTextOrLeavesItToTheRecord() {
        PhoneNumber from = PhoneNumber.ofE164("+14155550262");
        Patient p = patient("Ines", "Again", from);
        storeWith(p, followUp(p, "need-repeat", T0));
        String sid = "SM-ctx-" + java.util.UUID.randomUUID();
        InboundMessage m = new InboundMessage(practice, sid, p.id(), null, ReplyKind.YES, "yes", T0);
        assertThat(this.<Boolean>tx(tx -> {
            ReplyContext read = tx.replyContext(from, sid);
            assertThat(read.recordedBefore()).as("a new text").isFalse();
            assertThat(read).isEqualTo(tx.replyContext(from));
            return tx.recordInbound(m);
        })).isTrue();

        assertThat(this.<Boolean>tx(tx -> tx.replyContext(from, sid).recordedBefore() || !tx.recordInbound(m)))
                .as("the same text again is known as a repeat").isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.replyContext(from, "SM-other-" + sid).recordedBefore())).as("another text").isFalse();
    }

    @Test
    void theLatestConsentEntryDecidesByPatientAndByPhone() {
        PatientId patientId = PatientId.random();
        PhoneNumber phone = PhoneNumber.ofE164("+14155550260");
        ConsentChange optOut = new ConsentChange(practice, patientId, phone, ConsentStatus.OPTED_OUT, ConsentSource.PATIENT_SMS, T0);
        ConsentChange staffOptIn = new ConsentChange(practice, patientId, null, ConsentStatus.OPTED_IN, ConsentSource.STAFF,
                T0.plusSeconds(60));
        run(tx -> assertThat(tx.latestConsentOf(patientId)).isEmpty());
        run(tx -> tx.recordConsent(optOut));
        run(tx -> {
            assertThat(tx.latestConsentOf(patientId)).contains(optOut);
            assertThat(tx.latestConsentOf(phone)).contains(optOut);
        });
        run(tx -> tx.recordConsent(staffOptIn));
        run(tx -> {
            assertThat(tx.latestConsentOf(patientId)).contains(staffOptIn);
            assertThat(tx.latestConsentOf(phone)).contains(optOut);
        });
        ConsentChange unmatchedStart = new ConsentChange(practice, null, phone, ConsentStatus.OPTED_IN, ConsentSource.PATIENT_SMS,
                T0.plusSeconds(120));
        run(tx -> tx.recordConsent(unmatchedStart));
        run(tx -> {
            assertThat(tx.latestConsentOf(phone)).contains(unmatchedStart);
            assertThat(tx.latestConsentOf(patientId)).contains(staffOptIn);
            assertThat(tx.latestConsentOf(PhoneNumber.ofE164("+14155550269"))).isEmpty();
        });
    }

    @Test
    void suppressedChannelsAreKeptPerPatient() {
        PatientId patientId = PatientId.random();
        run(tx -> {
            assertThat(tx.suppressedChannels(patientId)).isEmpty();
            tx.suppress(new ChannelSuppression(practice, patientId, Channel.SMS, "21614", T0));
            tx.suppress(new ChannelSuppression(practice, patientId, Channel.SMS, "21211", T0.plusSeconds(1)));
            tx.suppress(new ChannelSuppression(practice, patientId, Channel.EMAIL, "bounce", T0.plusSeconds(2)));
        });
        run(tx -> {
            assertThat(tx.suppressedChannels(patientId)).containsExactlyInAnyOrder(Channel.SMS, Channel.EMAIL);
            assertThat(tx.suppressedChannels(PatientId.random())).isEmpty();
        });
    }

    // ------------------------------------------------------------------ staff tasks

    @Test
    void tasksRoundTripAreGuardedByVersionAndListedByStateOldestFirst() {
        StaffTask call = task(TaskKind.CALL_PATIENT, null, T0.plusSeconds(30));
        StaffTask review = task(TaskKind.REVIEW_REPLY, "¿Puedo ir el martes? — Zoë", T0.plusSeconds(10));
        StaffTask manual = task(TaskKind.SCHEDULE_MANUALLY, null, T0.plusSeconds(20));
        run(tx -> List.of(call, review, manual).forEach(tx::insertTask));
        run(tx -> {
            assertThat(tx.task(review.id())).contains(review);
            assertThat(tx.task(TaskId.random())).isEmpty();
            assertThat(tx.tasks(EnumSet.of(TaskState.OPEN))).containsExactly(review, manual, call);
        });
        StaffTask claimed = review.claimedBy("staff-7", T0.plusSeconds(40));
        run(tx -> tx.updateTask(claimed));
        assertThatThrownBy(() -> run(tx -> tx.updateTask(review.claimedBy("staff-8", T0.plusSeconds(41)))))
                .isInstanceOf(ConcurrentUpdateException.class);
        StaffTask done = manual.completedBy("staff-7", TaskOutcome.BOOKED, T0.plusSeconds(50));
        run(tx -> tx.updateTask(done));
        run(tx -> {
            assertThat(tx.task(review.id())).contains(claimed);
            assertThat(tx.tasks(EnumSet.of(TaskState.OPEN))).containsExactly(call);
            assertThat(tx.tasks(EnumSet.of(TaskState.CLAIMED, TaskState.DONE))).containsExactly(claimed, done);
            assertThat(tx.tasks(EnumSet.noneOf(TaskState.class))).isEmpty();
        });
    }

    // ------------------------------------------------------------------ audit trail

    @Test
    void theAuditTrailIsAGaplessVerifiableChain() {
        run(tx -> tx.appendAudit(audit(AuditType.BATCH_INGESTED, T0, Map.of("batch", "b-1", "rows", "12"))));
        List<AuditEvent> seenInside = new ArrayList<>();
        run(tx -> {
            tx.appendAudit(audit(AuditType.FOLLOW_UP_CREATED, T0.plusSeconds(1), Map.of()));
            tx.appendAudit(audit(AuditType.MESSAGE_SENT, T0.plusSeconds(2), Map.of("attempt", "a-1")));
            tx.forEachAuditEvent(seenInside::add); // a store that chains at commit must still show them here
        });
        List<AuditEvent> read = auditTrail(practice);
        assertThat(read).extracting(AuditEvent::sequence).containsExactly(1L, 2L, 3L);
        assertThat(read).extracting(AuditEvent::type)
                .containsExactly(AuditType.BATCH_INGESTED, AuditType.FOLLOW_UP_CREATED, AuditType.MESSAGE_SENT);
        assertThat(read.get(0).previousHash()).isEqualTo(AuditEvent.GENESIS);
        assertThat(read.get(0).attributes()).containsEntry("batch", "b-1").containsEntry("rows", "12");
        assertThat(seenInside).containsExactlyElementsOf(read);
        assertThat(AuditVerification.of(read).isIntact()).isTrue();
        assertThat(auditTrail(otherPractice)).isEmpty();
    }

    /**
     * The head a store keeps beside the events is what verification compares the trail's end with:
     * it must follow every append, those of the reading transaction included, and no rolled-back one.
     */
    @Test
    void theAuditHeadIsTheLastEventAppendedAndNoRolledBackOne() {
        assertThat(tx(PracticeTransaction::auditHead)).as("before the first event").isEqualTo(AuditHead.EMPTY);
        run(tx -> tx.appendAudit(audit(AuditType.BATCH_INGESTED, T0, Map.of("batch", "b-1"))));
        AuditHead afterOne = tx(PracticeTransaction::auditHead);
        AuditHead seenInside = tx(tx -> {
            tx.appendAudit(audit(AuditType.FOLLOW_UP_CREATED, T0.plusSeconds(1), Map.of()));
            tx.appendAudit(audit(AuditType.MESSAGE_SENT, T0.plusSeconds(2), Map.of("attempt", "a-1")));
            return tx.auditHead(); // a store that chains at commit must count them here too
        });
        assertThatThrownBy(() -> run(tx -> {
            tx.appendAudit(audit(AuditType.TASK_OPENED, T0.plusSeconds(3), Map.of()));
            tx.auditHead();
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);

        List<AuditEvent> read = auditTrail(practice);
        assertThat(read).hasSize(3);
        assertThat(afterOne).isEqualTo(AuditHead.of(read.get(0)));
        assertThat(seenInside).isEqualTo(AuditHead.of(read.get(2)));
        assertThat(tx(PracticeTransaction::auditHead)).isEqualTo(AuditHead.of(read.get(2))).isEqualTo(new AuditHead(3, read.get(2).hash()));
        assertThat(AuditVerification.of(read, tx(PracticeTransaction::auditHead)).isIntact()).isTrue();
        assertThat(store().inTransaction(otherPractice, PracticeTransaction::auditHead)).isEqualTo(AuditHead.EMPTY);
    }

    @Test
    @Timeout(180)
    void fourConcurrentAppendersProduceGaplessSequences() throws Exception {
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger retries = new AtomicInteger();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String actor = "staff:" + t;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        AuditRecord r = new AuditRecord(AuditType.TASK_CLAIMED, actor, null, null, Map.of("i", "" + i), T0.plusMillis(i));
                        while (true) {
                            try {
                                run(tx -> tx.appendAudit(r));
                                break;
                            } catch (ConcurrentUpdateException e) {
                                retries.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> f : done) {
                f.get(150, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditEvent> trail = auditTrail(practice);
        assertThat(trail).hasSize(4 * perThread);
        for (int i = 0; i < trail.size(); i++) {
            assertThat(trail.get(i).sequence()).isEqualTo(i + 1);
        }
        assertThat(AuditVerification.of(trail).isIntact()).isTrue();
    }

    // ------------------------------------------------------------------ reporting

    @Test
    void reportingIteratorsIncludeTheStartAndExcludeTheEndOfThePeriod() {
        Instant from = T0.plus(Duration.ofDays(7));
        Instant to = from.plus(Duration.ofDays(7));
        Patient p = patient("Rep", "Ort", PhoneNumber.ofE164("+14155550270"));
        FollowUp beforeFrom = created(p, "r1", from.minusNanos(1000));
        FollowUp atFrom = created(p, "r2", from);
        FollowUp beforeTo = created(p, "r3", to.minusNanos(1000));
        FollowUp atTo = created(p, "r4", to);
        FollowUp contactedInside = created(p, "r5", from.minus(Duration.ofDays(30)))
                .stepTaken(Channel.SMS, from.plusSeconds(5), 1, to.plus(Duration.ofDays(1)));
        FollowUp repliedInside = created(p, "r6", from.minus(Duration.ofDays(30))).replied(from.plusSeconds(6));
        FollowUp closedInside = created(p, "r7", from.minus(Duration.ofDays(30))).closed(FollowUpState.EXPIRED, to.minusSeconds(1));
        FollowUp closedAtTo = created(p, "r8", from.minus(Duration.ofDays(30))).closed(FollowUpState.EXPIRED, to);
        FollowUp f = atFrom;
        SendAttempt a1 = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, from.minusNanos(1000), "x");
        SendAttempt a2 = attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, from, "x");
        SendAttempt a3 = attempt(f, 2, 1, MessagePurpose.OUTREACH, AttemptState.SENT, to.minusNanos(1000), "x");
        SendAttempt a4 = attempt(f, 3, 1, MessagePurpose.OUTREACH, AttemptState.SENT, to, "x");
        StaffTask t1 = task(TaskKind.CALL_PATIENT, null, from.minusNanos(1000));
        StaffTask t2 = task(TaskKind.CALL_PATIENT, null, from);
        StaffTask t3 = task(TaskKind.CALL_PATIENT, null, to);
        StaffTask t4 = task(TaskKind.CALL_PATIENT, null, from.minus(Duration.ofDays(3))).claimedBy("s", to.minusNanos(1000));
        StaffTask t5 = task(TaskKind.CALL_PATIENT, null, from.minus(Duration.ofDays(3))).claimedBy("s", to);
        run(tx -> {
            tx.savePatient(p);
            List.of(beforeFrom, atFrom, beforeTo, atTo, contactedInside, repliedInside, closedInside, closedAtTo)
                    .forEach(tx::insertFollowUp);
            List.of(a1, a2, a3, a4).forEach(tx::insertAttempt);
            List.of(t1, t2, t3, t4, t5).forEach(tx::insertTask);
        });
        run(tx -> {
            List<FollowUp> followUps = new ArrayList<>();
            tx.forEachFollowUpTouched(from, to, followUps::add);
            assertThat(followUps).containsExactlyInAnyOrder(atFrom, beforeTo, contactedInside, repliedInside, closedInside);
            List<SendAttempt> attempts = new ArrayList<>();
            tx.forEachAttemptCreated(from, to, attempts::add);
            assertThat(attempts).containsExactlyInAnyOrder(a2, a3);
            List<StaffTask> tasks = new ArrayList<>();
            tx.forEachTaskTouched(from, to, tasks::add);
            assertThat(tasks).containsExactlyInAnyOrder(t2, t4);
        });
    }

    @Test
    void weeklyCountsOfAVariedWeekAreTheFiguresCountedByHand() {
        Instant from = T0.plus(Duration.ofDays(7));
        Instant to = from.plus(Duration.ofDays(7));
        seedReportWeek(practice, from, to);
        seedReportWeek(otherPractice, from, to);
        // Reached: SMS f5, f8, f13 by outreach and f7, f16 by their replies; email f8, f17 by outreach and f12, f14 by theirs.
        // Resolved without staff: f15 (booked), f17 (opted out), f25 (declined; its task came at the end).
        WeeklyCounts expected = new WeeklyCounts(5, 4, Map.of(Channel.SMS, 2L, Channel.EMAIL, 3L),
                Map.of(Channel.SMS, 1L, Channel.EMAIL, 1L, Channel.STAFF_CALL, 2L), Map.of("annual-exam", 3L, "post-op", 1L),
                Map.of("Dr. Adams", 2L, "Dr. Baker", 2L), 2, 1, 1, 1, 7, 10, 3, new BigDecimal("0.07980"),
                Map.of(Channel.SMS, 5L, Channel.EMAIL, 4L), 4, 3, 4, 3);
        run(tx -> {
            assertThat(tx.weeklyCounts(from, to)).isEqualTo(expected);
            assertThat(defaultCounting(tx).weeklyCounts(from, to)).isEqualTo(expected);
        });
        assertThat(expected.replied()).isEqualTo(5);
        assertThat(expected.booked()).isEqualTo(4);
    }

    @Test
    void weeklyCountsEqualTheDefaultComputationForAnyPeriod() {
        Instant from = T0.plus(Duration.ofDays(7));
        Instant to = from.plus(Duration.ofDays(7));
        seedReportWeek(practice, from, to);
        List<Instant[]> periods = List.of(new Instant[] {from, to}, new Instant[] {from.minus(Duration.ofDays(7)), from},
                new Instant[] {to, to.plus(Duration.ofDays(7))}, new Instant[] {from.plus(Duration.ofHours(36)), from.plus(Duration.ofHours(60))},
                new Instant[] {from.plusNanos(1000), to.minusNanos(1000)}, new Instant[] {T0.minus(Duration.ofDays(365)), T0.plus(Duration.ofDays(365))},
                new Instant[] {from, from});
        run(tx -> {
            for (Instant[] period : periods) {
                assertThat(tx.weeklyCounts(period[0], period[1])).as("%s to %s", period[0], period[1])
                        .isEqualTo(defaultCounting(tx).weeklyCounts(period[0], period[1]));
            }
        });
    }

    @Test
    void weeklyCountsNeverCountAnotherPracticesRows() {
        Instant from = T0.plus(Duration.ofDays(7));
        Instant to = from.plus(Duration.ofDays(7));
        seedReportWeek(otherPractice, from, to);
        WeeklyCounts none = new WeeklyCounts(0, 0, Map.of(), Map.of(), Map.of(), Map.of(), 0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO, Map.of(),
                0, 0, 0, 0);
        run(tx -> {
            assertThat(tx.weeklyCounts(from, to)).isEqualTo(none);
            assertThat(tx.weeklyCounts(T0.minus(Duration.ofDays(365)), T0.plus(Duration.ofDays(365)))).isEqualTo(none);
        });
        inOther(tx -> assertThat(tx.weeklyCounts(from, to)).isEqualTo(defaultCounting(tx).weeklyCounts(from, to))
                .extracting(WeeklyCounts::ingested, WeeklyCounts::booked, WeeklyCounts::smsSent, WeeklyCounts::staffCalls)
                .containsExactly(5L, 4L, 7L, 4L));
    }

    /**
     * Five patients texted on Friday of week 1, two of whom answer "no thanks" on Monday of week 2,
     * when the other three are handed to staff, as is a patient first texted that Monday. Each
     * week's replies are a share of the follow-ups its SMS figure is over (the two who answered join
     * week 2's), and the staff time saved is counted once, in week 2, for the two who declined
     * without staff: no week goes negative, none hides the hand-overs.
     */
    @Test
    void weeklyCountsCountRepliesAndWorkSavedOverTheFollowUpsTheyAreAbout() {
        Instant week1 = T0.plus(Duration.ofDays(7));
        Instant week2 = week1.plus(Duration.ofDays(7));
        Instant thursday = week1.plus(Duration.ofDays(3));
        Instant friday = week1.plus(Duration.ofDays(4)).plus(Duration.ofHours(10));
        Instant monday = week2.plus(Duration.ofHours(10));
        Patient p = new Patient(PatientId.random(), practice, null, "Two", "Weeks", PhoneNumber.ofE164("+14155550276"), null,
                Language.ENGLISH, null);
        Provider provider = new Provider("dr-a", "Dr. Adams");
        List<FollowUp> followUps = new ArrayList<>();
        List<SendAttempt> attempts = new ArrayList<>();
        List<StaffTask> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            boolean declines = i < 2;
            FollowUp f = declines
                    ? reportCase(practice, p, "friday-" + i, FollowUpState.DECLINED, provider, "recall", thursday, friday, monday, Channel.SMS,
                            monday)
                    : reportCase(practice, p, "friday-" + i, FollowUpState.HANDED_TO_STAFF, provider, "recall", thursday, friday, null, null,
                            monday);
            followUps.add(f);
            attempts.add(reportAttempt(practice, f, Channel.SMS, MessagePurpose.OUTREACH, 0, AttemptState.SENT, 1, "0.0079", friday));
            if (!declines) {
                tasks.add(reportTask(practice, f, TaskState.OPEN, null, monday, monday));
            }
        }
        FollowUp newcomer = reportCase(practice, p, "monday", FollowUpState.HANDED_TO_STAFF, provider, "recall", week2, monday, null, null,
                monday.plus(Duration.ofDays(2)));
        followUps.add(newcomer);
        attempts.add(reportAttempt(practice, newcomer, Channel.SMS, MessagePurpose.OUTREACH, 0, AttemptState.SENT, 1, "0.0079", monday));
        tasks.add(reportTask(practice, newcomer, TaskState.OPEN, null, monday.plus(Duration.ofDays(2)), monday.plus(Duration.ofDays(2))));
        run(tx -> {
            tx.savePatient(p);
            followUps.forEach(tx::insertFollowUp);
            attempts.forEach(tx::insertAttempt);
            tasks.forEach(tx::insertTask);
        });

        WeeklyCounts first = new WeeklyCounts(5, 5, Map.of(), Map.of(), Map.of(), Map.of(), 0, 0, 0, 0, 5, 5, 0, new BigDecimal("0.0395"),
                Map.of(Channel.SMS, 5L), 0, 0, 0, 0);
        WeeklyCounts second = new WeeklyCounts(1, 1, Map.of(Channel.SMS, 2L), Map.of(), Map.of(), Map.of(), 2, 0, 0, 0, 1, 1, 0,
                new BigDecimal("0.0079"), Map.of(Channel.SMS, 3L), 4, 2, 0, 0);
        run(tx -> {
            assertThat(tx.weeklyCounts(week1, week2)).isEqualTo(first);
            assertThat(tx.weeklyCounts(week2, week2.plus(Duration.ofDays(7)))).isEqualTo(second);
            assertThat(defaultCounting(tx).weeklyCounts(week1, week2)).isEqualTo(first);
            assertThat(defaultCounting(tx).weeklyCounts(week2, week2.plus(Duration.ofDays(7)))).isEqualTo(second);
        });
    }

    /**
     * Writes a week of every kind of row in a practice: follow-ups created, contacted, replied to
     * and closed inside the period, outside it and on its boundaries, in every terminal state;
     * attempts of each state, channel and purpose; tasks in each state and with each outcome. The
     * comments give what {@link PracticeTransaction#weeklyCounts} counts for [from, to); the totals
     * are in {@link #weeklyCountsOfAVariedWeekAreTheFiguresCountedByHand}.
     */
    private void seedReportWeek(PracticeId owner, Instant from, Instant to) {
        Patient p = new Patient(PatientId.random(), owner, null, "Week", "Ly", PhoneNumber.ofE164("+14155550275"), null,
                Language.ENGLISH, null);
        Instant before = from.minus(Duration.ofDays(3));
        Instant justBefore = from.minusNanos(1000);
        Instant justBeforeEnd = to.minusNanos(1000);
        Provider adams = new Provider("dr-a", "Dr. Adams");
        Provider baker = new Provider("dr-b", "Dr. Baker");
        Provider carter = new Provider("dr-c", "Dr. Carter");
        FollowUpState pending = FollowUpState.PENDING;
        FollowUpState booked = FollowUpState.BOOKED;
        // ingested at the start; not at the end nor just before the start
        FollowUp f1 = reportCase(owner, p, "f1", pending, carter, "recall", from, null, null, null, null);
        FollowUp f2 = reportCase(owner, p, "f2", pending, carter, "recall", justBefore, null, null, null, null);
        FollowUp f3 = reportCase(owner, p, "f3", pending, carter, "recall", justBeforeEnd, null, null, null, null);
        FollowUp f4 = reportCase(owner, p, "f4", pending, carter, "recall", to, null, null, null, null);
        // contacted inside; ingested inside but contacted at the end
        FollowUp f5 = reportCase(owner, p, "f5", FollowUpState.CONTACTING, carter, "recall", before, at(from, 1), null, null, null);
        FollowUp f6 = reportCase(owner, p, "f6", FollowUpState.CONTACTING, carter, "recall", at(from, 2), to, null, null, null);
        // replied by SMS; contacted and replied by email
        FollowUp f7 = reportCase(owner, p, "f7", FollowUpState.ENGAGED, carter, "recall", before, before, at(from, 3), Channel.SMS, null);
        FollowUp f8 = reportCase(owner, p, "f8", FollowUpState.ENGAGED, carter, "recall", before, at(from, 4), at(from, 5), Channel.EMAIL, null);
        // booked: by SMS; by a staff call without any outreach (handed over by its task below: counts, not a reply); in the EHR before any
        // outreach (does not count; ingested); answered by email without outreach (a reply, not a booking);
        // contacted with no responded channel (a staff call); closed at the end (a reply only); closed at the start
        FollowUp f9 = reportCase(owner, p, "f9", booked, adams, "annual-exam", before, before, before, Channel.SMS, at(from, 6));
        FollowUp f10 = reportCase(owner, p, "f10", booked, baker, "post-op", before, null, at(from, 7), Channel.STAFF_CALL, at(from, 7));
        FollowUp f11 = reportCase(owner, p, "f11", booked, carter, "recall", at(from, 8), null, null, null, at(from, 9));
        FollowUp f12 = reportCase(owner, p, "f12", booked, carter, "recall", before, null, at(from, 10), Channel.EMAIL, at(from, 11));
        FollowUp f13 = reportCase(owner, p, "f13", booked, baker, "annual-exam", before, at(from, 12), null, null, at(from, 13));
        FollowUp f14 = reportCase(owner, p, "f14", booked, carter, "recall", before, before, at(from, 14), Channel.EMAIL, to);
        FollowUp f15 = reportCase(owner, p, "f15", booked, adams, "annual-exam", before, before, before, Channel.EMAIL, from);
        // the other terminal states inside; expired just before the start; handed to staff and cancelled (not counted
        // as closings); declined at the end
        FollowUp f16 = reportCase(owner, p, "f16", FollowUpState.DECLINED, carter, "recall", before, before, at(from, 15), Channel.SMS,
                at(from, 15));
        FollowUp f17 = reportCase(owner, p, "f17", FollowUpState.OPTED_OUT, carter, "recall", before, at(from, 16), null, null, at(from, 17));
        FollowUp f18 = reportCase(owner, p, "f18", FollowUpState.UNREACHABLE, carter, "recall", before, before, null, null, at(from, 18));
        FollowUp f19 = reportCase(owner, p, "f19", FollowUpState.EXPIRED, carter, "recall", before, null, null, null, at(from, 19));
        FollowUp f20 = reportCase(owner, p, "f20", FollowUpState.EXPIRED, carter, "recall", before, null, null, null, justBefore);
        FollowUp f21 = reportCase(owner, p, "f21", FollowUpState.HANDED_TO_STAFF, carter, "recall", before, before, null, null, at(from, 20));
        FollowUp f22 = reportCase(owner, p, "f22", FollowUpState.CANCELLED, carter, "recall", at(from, 21), null, null, null, at(from, 22));
        FollowUp f23 = reportCase(owner, p, "f23", FollowUpState.DECLINED, carter, "recall", before, before, null, null, to);
        // booked in the EHR before any outreach and attributed to a staff call by the write-back, with no task: closed, not
        // recovered; declined after a message, its task opened only at the end (resolved without staff in the period)
        FollowUp f24 = reportCase(owner, p, "f24", booked, adams, "annual-exam", before, null, at(from, 32), Channel.STAFF_CALL,
                at(from, 32));
        FollowUp f25 = reportCase(owner, p, "f25", FollowUpState.DECLINED, carter, "recall", before, before, null, null, at(from, 33));
        List<FollowUp> followUps = List.of(f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21,
                f22, f23, f24, f25);

        AttemptState sent = AttemptState.SENT;
        MessagePurpose outreach = MessagePurpose.OUTREACH;
        List<SendAttempt> attempts = List.of(
                // counted: reach f5 twice (once by SMS distinct), f8 by a pending SMS and an email, f13 just before the end
                reportAttempt(owner, f5, Channel.SMS, outreach, 0, sent, 2, "0.0158", from),
                reportAttempt(owner, f5, Channel.SMS, outreach, 1, AttemptState.UNCONFIRMED, 1, "0.0079", at(from, 1)),
                reportAttempt(owner, f8, Channel.SMS, outreach, 0, AttemptState.PENDING, 1, "0.0079", at(from, 4)),
                reportAttempt(owner, f8, Channel.EMAIL, outreach, 1, sent, 1, "0.0004", at(from, 4)),
                reportAttempt(owner, f13, Channel.SMS, outreach, 0, sent, 1, "0.0079", justBeforeEnd),
                reportAttempt(owner, f17, Channel.EMAIL, outreach, 1, AttemptState.UNCONFIRMED, 1, "0.0004", at(from, 16)),
                // counted as messages, reaching no follow-up: not outreach, or without a follow-up
                reportAttempt(owner, f7, Channel.SMS, MessagePurpose.SLOT_OFFER, -1, sent, 3, "0.02370", at(from, 3)),
                reportAttempt(owner, null, Channel.SMS, MessagePurpose.HELP, -1, sent, 1, "0.0079", at(from, 23)),
                reportAttempt(owner, null, Channel.SMS, outreach, 0, sent, 1, "0.0079", at(from, 24)),
                reportAttempt(owner, f9, Channel.EMAIL, MessagePurpose.BOOKING_CONFIRMATION, -1, AttemptState.UNCONFIRMED, 1, "0",
                        at(from, 6)),
                // not counted: failed, at the end, just before the start
                reportAttempt(owner, f17, Channel.SMS, outreach, 0, AttemptState.FAILED, 5, "1.0000", at(from, 16)),
                reportAttempt(owner, f1, Channel.EMAIL, outreach, 0, AttemptState.FAILED, 1, "0.0004", at(from, 25)),
                reportAttempt(owner, f13, Channel.SMS, outreach, 1, sent, 1, "0.0079", to),
                reportAttempt(owner, f1, Channel.EMAIL, outreach, 1, sent, 1, "0.0004", justBefore));

        TaskState done = TaskState.DONE;
        List<StaffTask> tasks = List.of(
                // handed to staff: f21 (two tasks), f18, f16, f13; not a task created before the start or without a follow-up
                reportTask(owner, f21, TaskState.OPEN, null, at(from, 20), at(from, 20)),
                reportTask(owner, f21, TaskState.CLAIMED, null, at(from, 26), at(from, 27)),
                reportTask(owner, f18, done, TaskOutcome.UNREACHABLE, at(from, 18), at(from, 18)),
                reportTask(owner, f16, done, TaskOutcome.RESOLVED, at(from, 15), at(from, 28)),
                reportTask(owner, f13, done, TaskOutcome.BOOKED, at(from, 12), to),
                reportTask(owner, null, TaskState.OPEN, null, at(from, 29), at(from, 29)),
                reportTask(owner, f22, TaskState.CLAIMED, null, justBefore, at(from, 30)),
                reportTask(owner, f25, TaskState.OPEN, null, to, to),
                // staff calls: the UNREACHABLE one above, and these three (all reached); not RESOLVED, not done at the end
                // or just before the start
                reportTask(owner, f10, done, TaskOutcome.BOOKED, before, at(from, 7)),
                reportTask(owner, null, done, TaskOutcome.DECLINED, before, at(from, 31)),
                reportTask(owner, f23, done, TaskOutcome.DECLINED, before, from),
                reportTask(owner, f9, done, TaskOutcome.BOOKED, before, justBefore));

        store().inTransaction(owner, tx -> {
            tx.savePatient(p);
            followUps.forEach(tx::insertFollowUp);
            attempts.forEach(tx::insertAttempt);
            tasks.forEach(tx::insertTask);
            return null;
        });
    }

    private static Instant at(Instant from, int hours) {
        return from.plus(Duration.ofHours(hours));
    }

    private static FollowUp reportCase(PracticeId owner, Patient p, String tag, FollowUpState state, Provider provider, String type,
            Instant created, @Nullable Instant contacted, @Nullable Instant replied, @Nullable Channel via, @Nullable Instant closed) {
        Channel last = contacted == null ? null : via == Channel.EMAIL ? Channel.EMAIL : Channel.SMS;
        return new FollowUp(FollowUpId.random(), owner, p.id(), provider, FollowUpType.of(type), PreferredWindow.ANY, null,
                BatchId.of("batch-week"), "week-" + tag + "-" + owner.value(), "standard", state, contacted == null ? 0 : 1, null, created,
                contacted, last, replied, via, closed, List.of(), 0, 2);
    }

    private static SendAttempt reportAttempt(PracticeId owner, @Nullable FollowUp f, Channel channel, MessagePurpose purpose, int step,
            AttemptState state, int segments, String cost, Instant at) {
        return new SendAttempt("att-" + java.util.UUID.randomUUID(), owner, f == null ? null : f.id(), f == null ? null : f.patientId(),
                channel, purpose, step, 1, state, null, null, state == AttemptState.FAILED ? "30003" : null, null, segments,
                new BigDecimal(cost), at, at);
    }

    private static StaffTask reportTask(PracticeId owner, @Nullable FollowUp f, TaskState state, @Nullable TaskOutcome outcome,
            Instant created, Instant updated) {
        return new StaffTask(TaskId.random(), owner, f == null ? null : f.id(), f == null ? null : f.patientId(), TaskKind.CALL_PATIENT,
                TaskPriority.NORMAL, "report week", null, state, state == TaskState.OPEN ? null : "staff-1", outcome, created, updated,
                state == TaskState.OPEN ? 0 : 1);
    }

    /**
     * @param tx a transaction
     * @return the same transaction, but computing {@link PracticeTransaction#weeklyCounts} with the
     *     interface's default (the reference a store's own aggregate must agree with)
     */
    protected static PracticeTransaction defaultCounting(PracticeTransaction tx) {
        return oneByOne(tx);
    }

    /**
     * @param tx a transaction
     * @return the same transaction, but answering every call the interface has a default for (the
     *     bulk reads among them) with that default, the reference a store's own form must agree with
     */
    protected static PracticeTransaction oneByOne(PracticeTransaction tx) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(tx, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (PracticeTransaction) Proxy.newProxyInstance(PracticeTransaction.class.getClassLoader(),
                new Class<?>[] {PracticeTransaction.class}, handler);
    }

    // ------------------------------------------------------------------ retention

    @Test
    void purgeErasesBodiesBeforeTheCutoffAndKeepsEverythingElse() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        Patient p = patient("Pur", "Ge", PhoneNumber.ofE164("+14155550280"));
        FollowUp f = followUp(p, "need-purge", T0);
        SendAttempt old = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, cutoff.minusNanos(1000), "old body");
        SendAttempt atCutoff = attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, cutoff, "kept body");
        SendAttempt oldWithoutBody = attempt(f, 2, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0, null);
        StaffTask oldTask = task(TaskKind.REVIEW_REPLY, "old reply", T0);
        StaffTask newTask = task(TaskKind.REVIEW_REPLY, "new reply", cutoff);
        InboundMessage oldIn = new InboundMessage(practice, "SM-old-" + java.util.UUID.randomUUID(), p.id(), f.id(), ReplyKind.OTHER,
                "old text", T0);
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            List.of(old, atCutoff, oldWithoutBody).forEach(tx::insertAttempt);
            List.of(oldTask, newTask).forEach(tx::insertTask);
            tx.recordInbound(oldIn);
            tx.appendAudit(audit(AuditType.MESSAGE_SENT, T0, Map.of("attempt", old.id())));
        });
        int purged = tx(tx -> tx.purgeBodiesBefore(cutoff));
        assertThat(purged).isEqualTo(3);
        run(tx -> {
            assertThat(tx.attempt(old.id())).contains(old.purged());
            assertThat(tx.attempt(atCutoff.id())).contains(atCutoff);
            assertThat(tx.attempt(oldWithoutBody.id())).contains(oldWithoutBody);
            assertThat(tx.task(oldTask.id())).contains(oldTask.purged());
            assertThat(tx.task(newTask.id())).contains(newTask);
            assertThat(tx.recordInbound(oldIn)).isFalse();
            assertThat(tx.followUp(f.id())).contains(f);
            assertThat(tx.patient(p.id())).contains(p);
            tx.appendAudit(audit(AuditType.RETENTION_PURGE, cutoff, Map.of("purged", "3")));
        });
        assertThat(this.<Integer>tx(tx -> tx.purgeBodiesBefore(cutoff))).isZero();
        assertThat(AuditVerification.of(auditTrail(practice)).isIntact()).isTrue();
        List<SendAttempt> reported = new ArrayList<>();
        run(tx -> tx.forEachAttemptCreated(T0, cutoff.plusSeconds(1), reported::add));
        assertThat(reported).hasSize(3);
    }

    // ------------------------------------------------------------------ provider copies owed a redaction

    @Test
    void providerCopiesOwedAreAcceptedSmsAndInboundTextsBeforeTheCutoffOldestFirst() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        Instant now = cutoff.plus(Duration.ofDays(1));
        Patient p = patient("Red", "Act", PhoneNumber.ofE164("+14155550290"));
        FollowUp f = followUp(p, "need-redact", T0);
        SendAttempt sent = withProviderId(attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0, "invite"));
        SendAttempt pending = attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0.plusSeconds(2), "reminder");
        SendAttempt sentLater = pending.sent(providerId(), DeliveryStatus.QUEUED, T0.plusSeconds(3));
        SendAttempt purgedAlready = withProviderId(attempt(f, 2, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(4), null));
        SendAttempt neverAccepted = attempt(f, 3, 1, MessagePurpose.OUTREACH, AttemptState.FAILED, T0.plusSeconds(5), "refused text");
        SendAttempt email = new SendAttempt("att-" + java.util.UUID.randomUUID(), practice, f.id(), p.id(), Channel.EMAIL,
                MessagePurpose.OUTREACH, 4, 1, AttemptState.SENT, DeliveryStatus.SENT, "<mail-" + java.util.UUID.randomUUID() + "@example.com>",
                null, "email body", 1, BigDecimal.ZERO, T0.plusSeconds(6), T0.plusSeconds(6));
        SendAttempt atCutoff = withProviderId(attempt(f, 5, 1, MessagePurpose.OUTREACH, AttemptState.SENT, cutoff, "too new"));
        InboundMessage reply = new InboundMessage(practice, providerId(), p.id(), f.id(), ReplyKind.OTHER, "a reply", T0.plusSeconds(1));
        InboundMessage unmatched = new InboundMessage(practice, providerId(), null, null, ReplyKind.HELP, "help", cutoff.minusNanos(1000));
        InboundMessage newReply = new InboundMessage(practice, providerId(), p.id(), f.id(), ReplyKind.YES, "yes", cutoff);
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            List.of(sent, pending, purgedAlready, neverAccepted, email, atCutoff).forEach(tx::insertAttempt);
            List.of(reply, unmatched, newReply).forEach(tx::recordInbound);
        });
        run(tx -> tx.updateAttempt(sentLater));
        inOther(tx -> {
            tx.recordInbound(new InboundMessage(otherPractice, providerId(), null, null, ReplyKind.OTHER, "other's", T0));
            tx.insertAttempt(new SendAttempt("att-" + java.util.UUID.randomUUID(), otherPractice, null, null, Channel.SMS,
                    MessagePurpose.HELP, -1, 1, AttemptState.SENT, DeliveryStatus.SENT, providerId(), null, "other's", 1,
                    BigDecimal.ZERO, T0, T0));
        });
        List<ProviderCopy> expected = List.of(outbound(sent), inbound(reply), outbound(sentLater), outbound(purgedAlready), inbound(unmatched));

        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now, 100))).containsExactlyElementsOf(expected);
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now, 2))).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(T0.plusSeconds(2), now, 100)))
                .as("only those before an earlier cutoff").containsExactlyElementsOf(expected.subList(0, 2));
        // The local purge erases bodies; it does not end what the provider is owed.
        run(tx -> tx.purgeBodiesBefore(cutoff));
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now, 100))).containsExactlyElementsOf(expected);
        List<ProviderCopy> others = store().inTransaction(otherPractice, tx -> tx.providerCopiesOwedRedaction(cutoff, now, 100));
        assertThat(others).hasSize(2)
                .noneMatch(expected::contains);
    }

    @Test
    void aConfirmedRedactionEndsTheObligationAndARefusalPostponesItToItsRetryTime() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        Instant now = cutoff.plus(Duration.ofDays(1));
        Instant retryAt = now.plus(Duration.ofHours(1));
        Patient p = patient("Con", "Firm", PhoneNumber.ofE164("+14155550291"));
        FollowUp f = followUp(p, "need-confirm", T0);
        SendAttempt sent = withProviderId(attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0, "invite"));
        InboundMessage reply = new InboundMessage(practice, providerId(), p.id(), f.id(), ReplyKind.OTHER, "a reply", T0.plusSeconds(1));
        SendAttempt later = withProviderId(attempt(f, 1, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0.plusSeconds(2), "reminder"));
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertAttempt(sent);
            tx.insertAttempt(later);
            tx.recordInbound(reply);
        });
        ProviderCopy out = outbound(sent);
        ProviderCopy in = inbound(reply);
        ProviderCopy last = outbound(later);

        boolean settledByOther = store().inTransaction(otherPractice, tx -> tx.recordProviderRedaction(out, ProviderCopy.Outcome.REDACTED, now, null));
        assertThat(settledByOther).as("another practice cannot settle it").isFalse();
        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(out, ProviderCopy.Outcome.REDACTED, now, null))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(out, ProviderCopy.Outcome.REDACTED, now, null)))
                .as("recorded once").isFalse();
        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(in, ProviderCopy.Outcome.NOT_REDACTED, now, retryAt))).isTrue();
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now, 100))).containsExactly(last);
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, retryAt.minusNanos(1000), 100)))
                .containsExactly(last);

        ProviderCopy retried = withTries(in, 1);
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, retryAt, 100))).containsExactly(retried, last);
        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(in, ProviderCopy.Outcome.REDACTED, retryAt, null)))
                .as("a stale copy (its tries changed) is not recorded").isFalse();
        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(retried, ProviderCopy.Outcome.REDACTED, retryAt, null))).isTrue();
        assertThatThrownBy(() -> run(tx -> tx.recordProviderRedaction(last, ProviderCopy.Outcome.NOT_REDACTED, now, null)))
                .isInstanceOf(FollowUpException.class);
        assertThatThrownBy(() -> run(tx -> {
            tx.recordProviderRedaction(last, ProviderCopy.Outcome.REDACTED, now, null);
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now.plus(Duration.ofDays(365)), 100)))
                .as("an outcome in a rolled-back transaction is not kept").containsExactly(last);
        run(tx -> tx.purgeBodiesBefore(cutoff));
        run(tx -> tx.updateAttempt(present(tx.attempt(sent.id())).withStatus(DeliveryStatus.DELIVERED, null, sent.providerMessageId(), now)));
        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now.plus(Duration.ofDays(365)), 100)))
                .as("a late status report does not make a redacted copy owed again").containsExactly(last);
    }

    @Test
    void aCopyGivenUpOnAfterRepeatedRefusalsIsNoLongerOwed() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        Patient p = patient("Give", "Up", PhoneNumber.ofE164("+14155550292"));
        FollowUp f = followUp(p, "need-give-up", T0);
        SendAttempt sent = withProviderId(attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0, "invite"));
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertAttempt(sent);
        });
        Instant at = cutoff.plus(Duration.ofDays(1));
        int bound = 3;
        for (int tries = 0; tries < bound - 1; tries++) {
            Instant now = at;
            List<ProviderCopy> owed = tx(tx -> tx.providerCopiesOwedRedaction(cutoff, now, 100));
            assertThat(owed).containsExactly(withTries(outbound(sent), tries));
            at = at.plus(Duration.ofDays(1));
            Instant retryAt = at;
            assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(owed.get(0), ProviderCopy.Outcome.NOT_REDACTED, now, retryAt)))
                    .isTrue();
        }
        Instant last = at;
        List<ProviderCopy> owed = tx(tx -> tx.providerCopiesOwedRedaction(cutoff, last, 100));
        assertThat(owed).containsExactly(withTries(outbound(sent), bound - 1));

        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(owed.get(0), ProviderCopy.Outcome.ABANDONED, last, null))).isTrue();

        assertThat(this.<List<ProviderCopy>>tx(tx -> tx.providerCopiesOwedRedaction(cutoff, last.plus(Duration.ofDays(365)), 100))).isEmpty();
        assertThat(this.<Boolean>tx(tx -> tx.recordProviderRedaction(withTries(outbound(sent), bound), ProviderCopy.Outcome.REDACTED, last, null)))
                .as("given up on for good").isFalse();
    }

    private static String providerId() {
        return "SM" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    private static SendAttempt withProviderId(SendAttempt a) {
        return new SendAttempt(a.id(), a.practiceId(), a.followUpId(), a.patientId(), a.channel(), a.purpose(), a.step(), a.attemptNumber(),
                a.state(), a.deliveryStatus(), providerId(), a.errorCode(), a.body(), a.segments(), a.cost(), a.createdAt(), a.updatedAt());
    }

    private static ProviderCopy outbound(SendAttempt a) {
        return new ProviderCopy(java.util.Objects.requireNonNull(a.providerMessageId()), ProviderCopy.Direction.OUTBOUND, a.id(),
                a.followUpId(), a.patientId(), a.createdAt(), 0);
    }

    private static ProviderCopy inbound(InboundMessage m) {
        return new ProviderCopy(m.providerMessageId(), ProviderCopy.Direction.INBOUND, null, m.followUpId(), m.patientId(), m.receivedAt(), 0);
    }

    private static ProviderCopy withTries(ProviderCopy c, int tries) {
        return new ProviderCopy(c.providerMessageId(), c.direction(), c.attemptId(), c.followUpId(), c.patientId(), c.messageAt(), tries);
    }

    // ------------------------------------------------------------------ transactions

    @Test
    void whenTheWorkThrowsNothingIsWritten() {
        Patient p = patient("Roll", "Back", PhoneNumber.ofE164("+14155550290"));
        FollowUp f = followUp(p, "need-rollback", T0);
        SendAttempt a = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.PENDING, T0, "body");
        StaffTask t = task(TaskKind.CALL_PATIENT, null, T0);
        InboundMessage in = new InboundMessage(practice, "SM-rb-" + java.util.UUID.randomUUID(), null, null, ReplyKind.OTHER, "x", T0);
        class Boom extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }
        assertThatThrownBy(() -> run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertAttempt(a);
            tx.insertTask(t);
            tx.recordInbound(in);
            tx.recordConsent(new ConsentChange(practice, p.id(), p.phone(), ConsentStatus.OPTED_OUT, ConsentSource.STAFF, T0));
            tx.suppress(new ChannelSuppression(practice, p.id(), Channel.SMS, "x", T0));
            tx.appendAudit(audit(AuditType.FOLLOW_UP_CREATED, T0, Map.of()));
            throw new Boom();
        })).isInstanceOf(Boom.class);
        run(tx -> {
            assertThat(tx.patient(p.id())).isEmpty();
            assertThat(tx.patientsByPhone(p.phone())).isEmpty();
            assertThat(tx.followUp(f.id())).isEmpty();
            assertThat(tx.followUpByNeedKey(f.needKey())).isEmpty();
            assertThat(tx.attempt(a.id())).isEmpty();
            assertThat(tx.task(t.id())).isEmpty();
            assertThat(tx.latestConsentOf(p.id())).isEmpty();
            assertThat(tx.suppressedChannels(p.id())).isEmpty();
            assertThat(tx.recordInbound(in)).isTrue();
        });
        assertThat(auditTrail(practice)).isEmpty();
        run(tx -> tx.appendAudit(audit(AuditType.FOLLOW_UP_CREATED, T0, Map.of())));
        assertThat(auditTrail(practice)).extracting(AuditEvent::sequence).containsExactly(1L);
    }

    // ------------------------------------------------------------------ tenant isolation

    @Test
    void nothingOfOnePracticeIsVisibleToOrChangedByAnother() {
        PhoneNumber phone = PhoneNumber.ofE164("+14155550300");
        Patient p = patient("Iso", "Lated", phone);
        FollowUp f = followUp(p, "need-iso", T0);
        SendAttempt a = attempt(f, 0, 1, MessagePurpose.OUTREACH, AttemptState.SENT, T0, "secret body");
        String providerId = "SM-iso-" + java.util.UUID.randomUUID();
        SendAttempt sent = a.sent(providerId, DeliveryStatus.SENT, T0.plusSeconds(1));
        StaffTask t = task(TaskKind.REVIEW_REPLY, "reply", T0);
        InboundMessage in = new InboundMessage(practice, "SM-iso-in-" + java.util.UUID.randomUUID(), p.id(), f.id(), ReplyKind.OTHER,
                "hi", T0);
        run(tx -> {
            tx.savePatient(p);
            tx.insertFollowUp(f);
            tx.insertAttempt(a);
            tx.updateAttempt(sent);
            tx.insertTask(t);
            tx.recordInbound(in);
            tx.recordConsent(new ConsentChange(practice, p.id(), phone, ConsentStatus.OPTED_OUT, ConsentSource.PATIENT_SMS, T0));
            tx.suppress(new ChannelSuppression(practice, p.id(), Channel.EMAIL, "bounce", T0));
            tx.appendAudit(audit(AuditType.FOLLOW_UP_CREATED, T0, Map.of()));
        });
        Instant epoch = claimEpoch();
        FollowUp leased = followUp(p, "need-iso-leased", epoch);
        run(tx -> tx.insertFollowUp(leased));
        assertThat(own(store().claimDue(epoch.plusSeconds(1), 5, "node-a", epoch.plusSeconds(600))))
                .extracting(Claim::followUpId).containsExactly(leased.id());

        inOther(tx -> {
            assertThat(tx.practiceId()).isEqualTo(otherPractice);
            assertThat(tx.patient(p.id())).isEmpty();
            assertThat(tx.patientByIdentityKey(p.identityKey())).isEmpty();
            assertThat(tx.patientsByPhone(phone)).isEmpty();
            assertThat(tx.followUp(f.id())).isEmpty();
            assertThat(tx.followUpByNeedKey(f.needKey())).isEmpty();
            assertThat(tx.activeFollowUps(p.id())).isEmpty();
            assertThat(tx.holdsLease(leased.id(), "node-a", epoch.plusSeconds(1))).isFalse();
            assertThat(tx.leasedFollowUp(leased.id(), "node-a", epoch.plusSeconds(1))).isEmpty();
            tx.releaseLease(leased.id(), "node-a");
            assertThat(tx.attempt(a.id())).isEmpty();
            assertThat(tx.attemptByProviderId(providerId)).isEmpty();
            assertThat(tx.attemptsOf(f.id())).isEmpty();
            assertThat(tx.outreachCountSince(p.id(), T0.minusSeconds(1))).isZero();
            assertThat(tx.latestConsentOf(p.id())).isEmpty();
            assertThat(tx.latestConsentOf(phone)).isEmpty();
            assertThat(tx.suppressedChannels(p.id())).isEmpty();
            assertThat(tx.task(t.id())).isEmpty();
            assertThat(tx.tasks(EnumSet.allOf(TaskState.class))).isEmpty();
            List<Object> seen = new ArrayList<>();
            tx.forEachAuditEvent(seen::add);
            tx.forEachFollowUpTouched(T0.minusSeconds(1), T0.plusSeconds(10), seen::add);
            tx.forEachAttemptCreated(T0.minusSeconds(1), T0.plusSeconds(10), seen::add);
            tx.forEachTaskTouched(T0.minusSeconds(1), T0.plusSeconds(10), seen::add);
            assertThat(seen).isEmpty();
            assertThat(tx.purgeBodiesBefore(T0.plus(Duration.ofDays(365)))).isZero();
            // The same provider message id and need key are free in another practice.
            assertThat(tx.recordInbound(new InboundMessage(otherPractice, in.providerMessageId(), null, null, ReplyKind.OTHER, "x", T0)))
                    .isTrue();
        });
        // Writing another practice's records through this practice's transaction changes nothing of theirs.
        attemptQuietly(tx -> tx.updateFollowUp(f.rescheduled(T0.plusSeconds(1))));
        attemptQuietly(tx -> tx.updateTask(t.claimedBy("intruder", T0.plusSeconds(1))));
        attemptQuietly(tx -> tx.updateAttempt(sent.failed("x", T0.plusSeconds(2))));
        attemptQuietly(tx -> tx.savePatient(p.withId(p.id())));

        run(tx -> {
            assertThat(tx.patient(p.id())).contains(p);
            assertThat(tx.followUp(f.id())).contains(f);
            assertThat(tx.attempt(a.id())).contains(sent);
            assertThat(tx.task(t.id())).contains(t);
            assertThat(tx.holdsLease(leased.id(), "node-a", epoch.plusSeconds(1))).isTrue();
            assertThat(tx.latestConsentOf(phone)).map(ConsentChange::status).contains(ConsentStatus.OPTED_OUT);
            assertThat(tx.suppressedChannels(p.id())).containsExactly(Channel.EMAIL);
        });
        assertThat(auditTrail(practice)).hasSize(1);
        assertThat(auditTrail(otherPractice)).isEmpty();
    }

    private void attemptQuietly(Consumer<PracticeTransaction> work) {
        try {
            inOther(work);
        } catch (FollowUpException refused) {
            // refusing is as good as ignoring: what matters is that nothing of the practice changed
        }
    }

    // ------------------------------------------------------------------ fixtures for subclasses

    /** @param work runs in a transaction of {@link #practice} */
    protected void run(Consumer<PracticeTransaction> work) {
        store().inTransaction(practice, tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** @param work runs in a transaction of {@link #otherPractice} */
    protected void inOther(Consumer<PracticeTransaction> work) {
        store().inTransaction(otherPractice, tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** @param work runs in a transaction of {@link #practice} @param <T> its result @return its result */
    protected <T> T tx(Function<PracticeTransaction, T> work) {
        return store().inTransaction(practice, work);
    }

    /** @param practiceId a practice @return its audit trail in order */
    protected List<AuditEvent> auditTrail(PracticeId practiceId) {
        List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        store().inTransaction(practiceId, tx -> {
            tx.forEachAuditEvent(events::add);
            return null;
        });
        return List.copyOf(events);
    }

    /** @return a period of its own for a claim test, earlier than any other claim test's in this JVM */
    protected static Instant claimEpoch() {
        return Instant.parse("1990-01-01T00:00:00Z").minus(Duration.ofDays(10 * CLAIM_PERIODS.incrementAndGet()));
    }

    /** @param claims claims of any practice @return those of {@link #practice} */
    protected List<Claim> own(List<Claim> claims) {
        return claims.stream().filter(c -> c.practiceId().equals(practice)).toList();
    }

    /** @return a patient of {@link #practice} */
    protected Patient patient(String first, String last, PhoneNumber phone) {
        return new Patient(PatientId.random(), practice, null, first, last, phone, null, Language.ENGLISH, null);
    }

    /** Stores a patient and follow-ups of theirs in one transaction: the setup most tests share. */
    protected void storeWith(Patient p, FollowUp... followUps) {
        run(tx -> {
            tx.savePatient(p);
            for (FollowUp f : followUps) {
                tx.insertFollowUp(f);
            }
        });
    }

    /** @return a pending follow-up of {@link #practice} created at {@link #T0} */
    protected FollowUp followUp(Patient p, String needKey, Instant firstActionAt) {
        return FollowUp.open(FollowUpId.random(), practice, p.id(), new Provider("dr-m", "Dr. Martinez"), FollowUpType.of("annual-exam"),
                PreferredWindow.ANY, null, BatchId.of("batch-c"), needKey + "-" + practice.value(), "standard", T0, firstActionAt);
    }

    private FollowUp created(Patient p, String needKey, Instant createdAt) {
        return FollowUp.open(FollowUpId.random(), practice, p.id(), new Provider("dr-m", "Dr. Martinez"), FollowUpType.GENERAL,
                PreferredWindow.ANY, null, BatchId.of("batch-r"), needKey + "-" + practice.value(), "standard", createdAt, createdAt);
    }

    /** @return an SMS attempt of {@link #practice} for a follow-up */
    protected SendAttempt attempt(FollowUp f, int step, int number, MessagePurpose purpose, AttemptState state, Instant at,
            @Nullable String body) {
        return new SendAttempt("att-" + java.util.UUID.randomUUID(), practice, f.id(), f.patientId(), Channel.SMS, purpose, step, number,
                state, state == AttemptState.SENT ? DeliveryStatus.SENT : null, null, null, body, 1, new BigDecimal("0.0079"), at, at);
    }

    /** @return an open task of {@link #practice} */
    protected StaffTask task(TaskKind kind, @Nullable String replyText, Instant at) {
        return StaffTask.open(TaskId.random(), practice, null, PatientId.random(), kind, TaskPriority.NORMAL, "contract " + kind,
                replyText, at);
    }

    /** @return an audit record by the engine */
    protected AuditRecord audit(AuditType type, Instant at, Map<String, String> attributes) {
        return new AuditRecord(type, "engine", null, null, attributes, at);
    }

    /** @return an optional's value, failing the test if it is empty */
    protected static <T> T present(Optional<T> value) {
        assertThat(value).isPresent();
        return value.get();
    }
}
