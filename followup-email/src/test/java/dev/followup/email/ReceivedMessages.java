package dev.followup.email;

import dev.followup.test.contract.ReceivedEmail;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** Reads messages a test SMTP server received into the contract's {@link ReceivedEmail} form. */
final class ReceivedMessages {
    private ReceivedMessages() {}

    static List<ReceivedEmail> of(MimeMessage[] messages) {
        return Arrays.stream(messages).map(ReceivedMessages::of).toList();
    }

    static ReceivedEmail of(MimeMessage message) {
        try {
            MimeMultipart alternative = (MimeMultipart) message.getContent();
            String text = null;
            String html = null;
            for (int i = 0; i < alternative.getCount(); i++) {
                BodyPart part = alternative.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    text = (String) part.getContent();
                } else if (part.isMimeType("text/html")) {
                    html = (String) part.getContent();
                }
            }
            List<String> to = Arrays.stream(message.getAllRecipients())
                    .map(a -> ((InternetAddress) a).getAddress()).toList();
            return new ReceivedEmail(message.getMessageID(), to, message.getSubject(),
                    text == null ? "" : text, html == null ? "" : html);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
