package io.floe.spi.approval;

/** An approver's answer: approved, or vetoed with a reason that the client is shown. */
public record Verdict(boolean approved, String reason) {
  public static final Verdict APPROVED = new Verdict(true, null);

  /** A veto; a reason longer than 1,000 characters is cut there (it is shown to the client). */
  public static Verdict veto(String reason) {
    if (reason == null || reason.isBlank()) {
      return new Verdict(false, "no reason given");
    }
    return new Verdict(false, reason.length() > 1000 ? reason.substring(0, 1000) + "…" : reason);
  }
}
