package io.floe.spi.approval;

/** An approver's answer: approved, or vetoed with a reason that the client is shown. */
public record Verdict(boolean approved, String reason) {
  public static final Verdict APPROVED = new Verdict(true, null);

  public static Verdict veto(String reason) {
    return new Verdict(false, reason == null || reason.isBlank() ? "no reason given" : reason);
  }
}
