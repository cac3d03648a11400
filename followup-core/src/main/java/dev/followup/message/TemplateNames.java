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

    private TemplateNames() {
    }
}
