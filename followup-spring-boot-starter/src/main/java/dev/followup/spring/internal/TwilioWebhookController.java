package dev.followup.spring.internal;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidInputException;
import dev.followup.NotFoundException;
import dev.followup.conversation.InboundSms;
import dev.followup.message.DeliveryUpdate;
import dev.followup.twilio.TwilioSignatureException;
import dev.followup.twilio.TwilioWebhooks;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks: {@code POST {prefix}/twilio/inbound/{practiceId}} for texts patients send, and
 * {@code POST {prefix}/twilio/status/{practiceId}} for delivery statuses. The signature is checked
 * first, against {@code followup.twilio.public-base-url}; a request that fails is answered 403 and
 * nothing of it is parsed, applied or stored.
 */
@RestController
@RequestMapping("${followup.twilio.webhook-path-prefix:}/twilio")
public final class TwilioWebhookController {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhookController.class);
    private static final MediaType TWIML = MediaType.parseMediaType(TwilioWebhooks.TWIML_CONTENT_TYPE);
    private final TwilioWebhooks webhooks;
    private final FollowUpEngine engine;

    /**
     * @param webhooks checks signatures and reads Twilio's forms
     * @param engine applies what arrives
     */
    public TwilioWebhookController(TwilioWebhooks webhooks, FollowUpEngine engine) {
        this.webhooks = webhooks;
        this.engine = engine;
    }

    /**
     * A text a patient sent to a practice.
     *
     * @param request the request
     * @return the empty TwiML (the engine sends any answer itself), or 403/400/404/413
     */
    @PostMapping("/inbound/{practiceId}")
    public ResponseEntity<String> inbound(HttpServletRequest request) {
        if (tooLarge(request)) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        InboundSms sms;
        try {
            sms = webhooks.inboundSms(url(request), form(request), request.getHeader(TwilioWebhooks.SIGNATURE_HEADER));
        } catch (TwilioSignatureException e) {
            return ResponseEntity.status(e.httpStatus()).build();
        } catch (InvalidInputException e) {
            LOG.warn("Twilio inbound webhook refused: {}", e.getMessage());
            return ResponseEntity.badRequest().build();
        }
        try {
            engine.handleInboundSms(sms);
        } catch (NotFoundException e) {
            LOG.warn("Twilio inbound webhook for a practice the engine does not serve: {}", e.getMessage());
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(TWIML).body(TwilioWebhooks.EMPTY_TWIML);
    }

    /**
     * A delivery status of a message the engine sent.
     *
     * @param request the request
     * @return 204 (also for a status the library does not know, so that Twilio does not repeat it), or 403/400/404/413
     */
    @PostMapping("/status/{practiceId}")
    public ResponseEntity<Void> status(HttpServletRequest request) {
        if (tooLarge(request)) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        Optional<DeliveryUpdate> update;
        try {
            update = webhooks.statusCallback(url(request), form(request), request.getHeader(TwilioWebhooks.SIGNATURE_HEADER));
        } catch (TwilioSignatureException e) {
            return ResponseEntity.status(e.httpStatus()).build();
        } catch (InvalidInputException e) {
            LOG.warn("Twilio status webhook refused: {}", e.getMessage());
            return ResponseEntity.badRequest().build();
        }
        try {
            update.ifPresent(engine::handleDeliveryUpdate);
        } catch (NotFoundException e) {
            LOG.warn("Twilio status webhook for a practice the engine does not serve: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        return ResponseEntity.noContent().build();
    }

    private static final long MAX_BODY_BYTES = 4L * TwilioWebhooks.MAX_FORM_CHARS;

    /**
     * A declared body too big for any Twilio form is refused before the container parses it into
     * parameters (its own limit is megabytes). A body without a declared length (chunked) is left to
     * the container's limit: Twilio always declares one. The form's characters are checked again by
     * {@link TwilioWebhooks}; percent-encoding makes a byte count up to several times the characters.
     */
    private static boolean tooLarge(HttpServletRequest request) {
        return request.getContentLengthLong() > MAX_BODY_BYTES;
    }

    private static String url(HttpServletRequest request) {
        return TwilioWebhooks.requestUrl(request.getRequestURL(), request.getQueryString());
    }

    private static Map<String, List<String>> form(HttpServletRequest request) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> form.put(name, Arrays.asList(values)));
        return form;
    }
}
