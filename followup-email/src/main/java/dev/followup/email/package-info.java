/**
 * Email over SMTP with Jakarta Mail (the Angus implementation): {@link dev.followup.email.JakartaMailEmailSender},
 * configured per practice with {@link dev.followup.email.SmtpSettings}. STARTTLS is required unless a
 * practice's settings say otherwise.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.email;

import org.jspecify.annotations.NullMarked;
