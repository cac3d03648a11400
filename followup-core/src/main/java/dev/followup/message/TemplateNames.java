package dev.followup.message;

/** The names of the templates the engine itself uses; policies may add their own outreach templates. */
public final class TemplateNames {
    /** The first text of the default policy. */
    public static final String INVITE = "invite";
    /** The email of the default policy. */
    public static final String REMINDER = "reminder";
    /** Open slots after a YES; uses {slotList}. */
    public static final String SLOT_OFFER = "slot-offer";
    /** Fresh slots after the chosen one was taken; uses {slotList}. */
    public static final String SLOT_TAKEN = "slot-taken";
    /** No slot could be offered: staff will call. */
    public static final String NO_SLOTS = "no-slots";
    /** The booking is confirmed; uses {slotTime}. */
    public static final String BOOKED = "booked";
    /** The patient declined. */
    public static final String DECLINED = "declined";
    /** A free-text reply was passed to staff. */
    public static final String RECEIVED = "received";
    /** The answer to HELP. */
    public static final String HELP = "help";
    /** The one confirmation of an opt-out. */
    public static final String OPT_OUT_CONFIRMATION = "opt-out-confirmation";
    /** The confirmation of START. */
    public static final String OPT_IN_CONFIRMATION = "opt-in-confirmation";

    private static final java.util.Set<String> ALWAYS = java.util.Set.of(MessageTemplate.PRACTICE_NAME, MessageTemplate.PRACTICE_PHONE,
            MessageTemplate.PROVIDER_NAME, MessageTemplate.VISIT_TYPE);
    private static final java.util.Set<String> PATIENT = java.util.Set.of(MessageTemplate.FIRST_NAME, MessageTemplate.LAST_NAME);

    private TemplateNames() {
    }

    /**
     * The placeholders a message of this name is always given values for, so that a template
     * using any other is refused when the engine is built instead of failing when a patient would
     * be messaged. HELP and the opt-out and opt-in confirmations may answer a number that matches
     * no patient, so they cannot greet by name; only slot offers have {@code {slotList}} and only
     * the booking confirmation has {@code {slotTime}}.
     *
     * @param templateName a template name (the engine's own, or an outreach template of a policy)
     * @return the placeholders it may use
     */
    public static java.util.Set<String> placeholdersFor(String templateName) {
        java.util.Set<String> allowed = new java.util.HashSet<>(ALWAYS);
        switch (templateName) {
            case HELP, OPT_OUT_CONFIRMATION, OPT_IN_CONFIRMATION -> {
                return allowed;
            }
            case SLOT_OFFER, SLOT_TAKEN -> allowed.add(MessageTemplate.SLOT_LIST);
            case BOOKED -> allowed.add(MessageTemplate.SLOT_TIME);
            default -> {
                // outreach and the other replies: the patient is known
            }
        }
        allowed.addAll(PATIENT);
        return allowed;
    }
}
