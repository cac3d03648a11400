package dev.followup.message;

import dev.followup.InvalidConfigurationException;
import dev.followup.followup.Channel;
import dev.followup.patient.Language;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A practice's templates: by name and language, optionally narrowed to a provider or a follow-up
 * type. Resolution takes the most specific template (provider and type, then provider, then type,
 * then general) in the patient's language, falling back to English.
 *
 * <p>{@link #defaults()} holds English and Spanish texts for every name in {@link TemplateNames}:
 * each fits one SMS segment for typical names, names the practice and its phone, says how to opt
 * out, and mentions no clinical detail. Practices override single templates with
 * {@link #with(MessageTemplate)}.
 */
public final class MessageTemplates {
    private static final MessageTemplates DEFAULTS = buildDefaults();
    private final Map<Key, MessageTemplate> templates;

    private record Key(String name, Language language, @Nullable String providerId, @Nullable String typeCode) {}

    private MessageTemplates(Map<Key, MessageTemplate> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** @return the built-in English and Spanish templates */
    public static MessageTemplates defaults() {
        return DEFAULTS;
    }

    /** @return a set without templates, to build a practice's own from scratch */
    public static MessageTemplates empty() {
        return new MessageTemplates(Map.of());
    }

    /**
     * @param template a template to add or replace (same name, language, provider and type)
     * @return a new set with it
     */
    public MessageTemplates with(MessageTemplate template) {
        Map<Key, MessageTemplate> copy = new HashMap<>(templates);
        copy.put(keyOf(template), template);
        return new MessageTemplates(copy);
    }

    /**
     * @param more templates to add or replace
     * @return a new set with them
     */
    public MessageTemplates withAll(Collection<MessageTemplate> more) {
        Map<Key, MessageTemplate> copy = new HashMap<>(templates);
        more.forEach(t -> copy.put(keyOf(t), t));
        return new MessageTemplates(copy);
    }

    private static Key keyOf(MessageTemplate t) {
        return new Key(t.name(), t.language(), t.providerId(), t.typeCode());
    }

    /**
     * @param name a template name
     * @param language the patient's language
     * @param providerId the follow-up's provider
     * @param typeCode the follow-up's type
     * @return the most specific template, in the language or else in English
     * @throws InvalidConfigurationException if there is none in either
     */
    public MessageTemplate resolve(String name, Language language, String providerId, String typeCode) {
        MessageTemplate found = find(name, language, providerId, typeCode);
        if (found == null && !language.equals(Language.ENGLISH)) {
            found = find(name, Language.ENGLISH, providerId, typeCode);
        }
        if (found == null) {
            throw new InvalidConfigurationException("no template '" + name + "' in " + language + " or English");
        }
        return found;
    }

    private @Nullable MessageTemplate find(String name, Language language, String providerId, String typeCode) {
        for (Key k : List.of(new Key(name, language, providerId, typeCode), new Key(name, language, providerId, null),
                new Key(name, language, null, typeCode), new Key(name, language, null, null))) {
            MessageTemplate t = templates.get(k);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * @param name a template name
     * @return whether a general English template of that name exists (every name must have one)
     */
    public boolean hasGeneral(String name) {
        return templates.containsKey(new Key(name, Language.ENGLISH, null, null));
    }

    /** @return every template in the set */
    public List<MessageTemplate> all() {
        return new ArrayList<>(templates.values());
    }

    /**
     * Checks the set against what a practice allows: every template must have a general English
     * version, and {visitType} is only allowed where the practice opted in to naming visit types.
     *
     * @param requiredNames the names the engine and the policies use, with their channels
     * @param visitTypeAllowed the practice's choice
     * @param practiceLabel the practice id, for messages
     * @throws InvalidConfigurationException on the first problem, explained
     */
    public void validate(Map<String, Channel> requiredNames, boolean visitTypeAllowed, String practiceLabel) {
        requiredNames.forEach((name, channel) -> {
            MessageTemplate general = templates.get(new Key(name, Language.ENGLISH, null, null));
            if (general == null) {
                throw new InvalidConfigurationException("practice " + practiceLabel + " has no English template '" + name + "' (" + channel + ")");
            }
            if (general.channel() != channel) {
                throw new InvalidConfigurationException("practice " + practiceLabel + ": template '" + name + "' is for "
                        + general.channel() + " but is used for " + channel);
            }
        });
        for (MessageTemplate t : templates.values()) {
            java.util.Set<String> unfillable = new java.util.TreeSet<>(t.placeholders());
            unfillable.removeAll(TemplateNames.placeholdersFor(t.name()));
            if (!unfillable.isEmpty()) {
                throw new InvalidConfigurationException("practice " + practiceLabel + ": template '" + t.name() + "' (" + t.language()
                        + ") uses " + unfillable + ", which a '" + t.name() + "' message never has a value for; it may use "
                        + new java.util.TreeSet<>(TemplateNames.placeholdersFor(t.name())));
            }
        }
        if (!visitTypeAllowed) {
            for (MessageTemplate t : templates.values()) {
                if (t.placeholders().contains(MessageTemplate.VISIT_TYPE)) {
                    throw new InvalidConfigurationException("practice " + practiceLabel + ": template '" + t.name() + "' (" + t.language()
                            + ") names the visit type, but the practice has not opted in (minimum necessary): remove {visitType}"
                            + " or set visitTypeInMessages(true)");
                }
            }
        }
    }

    /**
     * Fills a template.
     *
     * @param template the template
     * @param values a value for every placeholder it uses
     * @return the message; for email, an HTML part with every value escaped
     */
    public static RenderedMessage render(MessageTemplate template, Map<String, String> values) {
        Objects.requireNonNull(values);
        String text = MessageTemplate.fill(template.body(), values, false);
        if (template.channel() != Channel.EMAIL) {
            return new RenderedMessage(template.name(), null, text, null);
        }
        String subject = MessageTemplate.fill(template.subject(), values, false);
        String escapedBody = Html.escape(template.body());
        String htmlBody = MessageTemplate.fill(escapedBody, values, true);
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(subject)).append("</title></head><body style=\"font-family:sans-serif;line-height:1.5\">");
        for (String paragraph : htmlBody.split("\\R\\R")) {
            html.append("<p>").append(paragraph.replaceAll("\\R", "<br>")).append("</p>");
        }
        html.append("</body></html>");
        return new RenderedMessage(template.name(), subject, text, html.toString());
    }

    private static MessageTemplates buildDefaults() {
        Language en = Language.ENGLISH;
        Language es = Language.SPANISH;
        List<MessageTemplate> t = List.of(
                MessageTemplate.sms(TemplateNames.INVITE, en, "Hi {firstName}, {providerName} at {practiceName} recommends a follow-up visit. "
                        + "Reply YES to schedule or call {practicePhone}. Reply STOP to opt out."),
                MessageTemplate.email(TemplateNames.REMINDER, en, "{practiceName}: time to schedule your follow-up visit",
                        "Hi {firstName},\n\n{providerName} at {practiceName} recommends a follow-up visit. Reply YES to our text message "
                        + "to see open times, or call us at {practicePhone} to schedule.\n\nTo stop messages from us, reply STOP to our "
                        + "text message or call {practicePhone}.\n\n{practiceName}"),
                MessageTemplate.sms(TemplateNames.SLOT_OFFER, en, "{practiceName}: reply with a number to book: {slotList}. "
                        + "Or call {practicePhone}. STOP to opt out."),
                MessageTemplate.sms(TemplateNames.SLOT_TAKEN, en, "{practiceName}: that time was just taken. Reply with a number to book: "
                        + "{slotList}. Or call {practicePhone}. STOP to opt out."),
                MessageTemplate.sms(TemplateNames.NO_SLOTS, en, "{practiceName}: thanks! Our staff will call you to find a time, "
                        + "or call us at {practicePhone}. Reply STOP to opt out."),
                MessageTemplate.sms(TemplateNames.BOOKED, en, "{practiceName}: you're booked with {providerName} on {slotTime}. "
                        + "To change it call {practicePhone}. STOP to opt out."),
                MessageTemplate.sms(TemplateNames.DECLINED, en, "{practiceName}: understood, we won't follow up on this. "
                        + "If you change your mind call {practicePhone}. STOP to opt out."),
                MessageTemplate.sms(TemplateNames.RECEIVED, en, "{practiceName}: thanks, a member of our staff will get back to you, "
                        + "or call {practicePhone}. Reply STOP to opt out."),
                MessageTemplate.sms(TemplateNames.HELP, en, "{practiceName}: follow-up visit reminders. Call {practicePhone} for help. "
                        + "Reply STOP to opt out. Msg&data rates may apply."),
                MessageTemplate.sms(TemplateNames.OPT_OUT_CONFIRMATION, en, "{practiceName}: you will not receive more messages from us. "
                        + "Reply START to resume or call {practicePhone}."),
                MessageTemplate.sms(TemplateNames.OPT_IN_CONFIRMATION, en, "{practiceName}: you will receive follow-up reminders again. "
                        + "Reply STOP to opt out. Help: {practicePhone}."),
                // Spanish texts avoid á, í, ó and ú where the wording allows: they are outside GSM-7
                // and would make the whole text UCS-2 (70 characters a segment instead of 160).
                MessageTemplate.sms(TemplateNames.INVITE, es, "Hola {firstName}: {providerName} ({practiceName}) recomienda una cita de "
                        + "seguimiento. Responda SI para agendarla o llame al {practicePhone}. STOP: cancelar"),
                MessageTemplate.email(TemplateNames.REMINDER, es, "{practiceName}: programe su visita de seguimiento",
                        "Hola {firstName}:\n\n{providerName} de {practiceName} le recomienda una visita de seguimiento. Responda SI a "
                        + "nuestro mensaje de texto para ver horarios disponibles, o llame al {practicePhone}.\n\nPara no recibir mensajes, "
                        + "responda STOP a nuestro mensaje de texto o llame al {practicePhone}.\n\n{practiceName}"),
                MessageTemplate.sms(TemplateNames.SLOT_OFFER, es, "{practiceName}: responda con un numero para reservar: {slotList}. "
                        + "O llame al {practicePhone}. STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.SLOT_TAKEN, es, "{practiceName}: ese horario ya no esta libre. Responda con un numero: "
                        + "{slotList}. O llame al {practicePhone}. STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.NO_SLOTS, es, "{practiceName}: gracias. Le llamaremos para buscar un horario, "
                        + "o llame al {practicePhone}. STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.BOOKED, es, "{practiceName}: su cita con {providerName} es el {slotTime}. "
                        + "Para cambiarla llame al {practicePhone}. STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.DECLINED, es, "{practiceName}: entendido, no le escribiremos sobre esto. "
                        + "Si cambia de idea llame al {practicePhone}. STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.RECEIVED, es, "{practiceName}: gracias, nuestro personal le respondera pronto, "
                        + "o llame al {practicePhone}. STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.HELP, es, "{practiceName}: recordatorios de visitas de seguimiento. Ayuda: {practicePhone}. "
                        + "STOP para cancelar."),
                MessageTemplate.sms(TemplateNames.OPT_OUT_CONFIRMATION, es, "{practiceName}: no recibira mas mensajes nuestros. "
                        + "Responda START para volver a recibirlos o llame al {practicePhone}."),
                MessageTemplate.sms(TemplateNames.OPT_IN_CONFIRMATION, es, "{practiceName}: volvera a recibir recordatorios. "
                        + "STOP para cancelar. Ayuda: {practicePhone}."));
        Map<Key, MessageTemplate> map = new HashMap<>();
        t.forEach(x -> map.put(keyOf(x), x));
        return new MessageTemplates(map);
    }
}
