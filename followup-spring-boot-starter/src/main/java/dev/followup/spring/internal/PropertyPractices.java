package dev.followup.spring.internal;

import dev.followup.FollowUpException;
import dev.followup.InvalidConfigurationException;
import dev.followup.PracticeSettings;
import dev.followup.followup.FollowUpType;
import dev.followup.message.SendRate;
import dev.followup.practice.BusinessCalendar;
import dev.followup.practice.ContactLimits;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.practice.SendWindow;
import dev.followup.report.ReportSettings;
import dev.followup.spring.FollowUpProperties;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code followup.practices[n]} into practices through {@link Practice#builder}, so the
 * builder's own checks apply; each message names the property that is wrong. A practice without
 * its own {@code email-from} sends as {@code followup.email.from-address} when that is set: the
 * engine sends no email for a practice without a From address.
 */
public final class PropertyPractices {
    private PropertyPractices() {}

    /**
     * A practice with what the engine's builder takes beside it.
     *
     * @param practice the practice
     * @param settings its policies and report figures
     * @param sendRate its SMS sender's rate, if configured
     */
    public record Configured(Practice practice, PracticeSettings settings, @Nullable SendRate sendRate) {}

    /**
     * @param properties the starter's properties
     * @return the practices they configure, in order
     * @throws InvalidConfigurationException naming the property, if one is missing or invalid
     */
    public static List<Configured> of(FollowUpProperties properties) {
        List<Configured> result = new ArrayList<>();
        List<FollowUpProperties.Practice> list = properties.getPractices();
        String sharedEmailFrom = textOrNull(properties.getEmail().getFromAddress());
        for (int i = 0; i < list.size(); i++) {
            String path = "followup.practices[" + i + "]";
            try {
                result.add(practice(list.get(i), path, sharedEmailFrom));
            } catch (InvalidConfigurationException e) {
                throw e.getMessage() != null && e.getMessage().startsWith(path) ? e
                        : new InvalidConfigurationException(path + ": " + e.getMessage(), e);
            } catch (FollowUpException e) {
                throw new InvalidConfigurationException(path + ": " + e.getMessage(), e);
            }
        }
        return result;
    }

    private static Configured practice(FollowUpProperties.Practice p, String path, @Nullable String sharedEmailFrom) {
        if (p.getId() == null || p.getId().isBlank()) {
            throw new InvalidConfigurationException(path + ".id is required");
        }
        if (p.getTimeZone() == null || p.getTimeZone().isBlank()) {
            throw new InvalidConfigurationException(path + ".time-zone is required, e.g. America/Chicago");
        }
        Practice.Builder b = Practice.builder(PracticeId.of(p.getId().strip()))
                .name(p.getName())
                .callbackPhone(p.getCallbackPhone())
                .timeZone(p.getTimeZone().strip())
                .sendWindow(window(p.getSendWindow()))
                .phoneRegion(p.getPhoneRegion())
                .carrierAnswersExactKeywords(p.isCarrierAnswersExactKeywords())
                .visitTypeInMessages(p.isVisitTypeInMessages())
                .contactLimits(new ContactLimits(p.getContactLimits().getPerDay(), p.getContactLimits().getPerWeek()));
        if (p.getSmsFrom() != null && !p.getSmsFrom().isBlank()) {
            b.smsFrom(p.getSmsFrom().strip());
        }
        String emailFrom = textOrNull(p.getEmailFrom());
        if (emailFrom == null) {
            emailFrom = sharedEmailFrom;
        }
        if (emailFrom != null) {
            b.emailFrom(emailFrom);
        }
        if (!p.getClosedDays().isEmpty()) {
            b.calendar(BusinessCalendar.closedOn(p.getClosedDays()));
        }
        Practice practice = b.build();

        PracticeSettings settings = PracticeSettings.defaults().withDefaultPolicy(p.getDefaultPolicy());
        for (var byType : p.getPoliciesByType().entrySet()) {
            settings = settings.withPolicy(FollowUpType.of(byType.getKey()), byType.getValue());
        }
        ReportSettings report = ReportSettings.defaults();
        if (p.getReport().getDefaultRevenue() != null) {
            report = report.withDefaultRevenue(p.getReport().getDefaultRevenue());
        }
        if (p.getReport().getMonthlyFee() != null) {
            report = report.withMonthlyFee(p.getReport().getMonthlyFee());
        }
        settings = settings.withReport(report);

        SendRate rate = null;
        FollowUpProperties.SendRate r = p.getSendRate();
        if (r.getPerSecond() != null || r.getPerDay() != null) {
            if (practice.smsFrom() == null) {
                throw new InvalidConfigurationException(path + ".send-rate is set but the practice has no sms-from");
            }
            rate = new SendRate(r.getPerSecond() == null ? 1 : r.getPerSecond(), r.getPerDay() == null ? Integer.MAX_VALUE : r.getPerDay());
        }
        return new Configured(practice, settings, rate);
    }

    private static @Nullable String textOrNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * @param window the properties of a send window
     * @return the window, checked against quiet hours
     */
    static SendWindow window(FollowUpProperties.SendWindow window) {
        return SendWindow.of(window.getDays(), window.getStart(), window.getEnd());
    }
}
