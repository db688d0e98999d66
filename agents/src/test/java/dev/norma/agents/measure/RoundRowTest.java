package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRowTest {

  @Test
  void aRowIsWrittenInTheHeadersOrderWithWholeNumbersBare() {
    RoundRow row = new RoundRow(3, 96, 0.5, "Q", 1.0, 1.0 / 3, 2, 40);
    assertThat(RoundRow.CSV_HEADER.split(",")).hasSize(17);
    assertThat(row.toCsv()).isEqualTo("3,96,0.500000,Q,1,0.333333,2,40,,,,,,,,,");
    assertThat(row.toCsv().split(",", -1)).hasSameSizeAs(RoundRow.CSV_HEADER.split(","));
  }

  @Test
  void theFirstEightColumnsAreAsTheyWereAndTheRunnersUpAndTheCommittedNameFollow() {
    assertThat(RoundRow.CSV_HEADER).startsWith(
        "round,interactions,successRate,topName,topShare,entropyBits,distinctNames,totalWords,");
    RoundRow row = new RoundRow(7, 192, 0.75, "M", 0.5, 1.2, 4, 50,
        List.of(new RoundRow.NameShare("M", 0.5), new RoundRow.NameShare("Q", 0.25),
            new RoundRow.NameShare("X", 0.125), new RoundRow.NameShare("Y", 0.125)), 0.125);
    assertThat(row.toCsv()).isEqualTo("7,192,0.750000,M,0.500000,1.200000,4,50,Q,0.250000,X,0.125000,0.125000,,,,");
  }

  @Test
  void aGameWithoutInventoriesLeavesTotalWordsEmpty() {
    assertThat(new RoundRow(0, 24, 0, "", 0, 0, 0, -1).toCsv()).isEqualTo("0,24,0,,0,0,0,,,,,,,,,,");
  }

  @Test
  void theInformationFlowFollowsCorrectedThenShuffled() {
    InformationFlow flow = new InformationFlow(3, 1);
    for (int i = 0; i < 8; i++) {
      flow.add(i % 2, i % 2, (i / 2) % 2);
    }
    InformationFlow.Result result = flow.result();
    RoundRow row = new RoundRow(1, 48, 1, "Q", 1, 0, 1, -1, List.of(new RoundRow.NameShare("Q", 1)), Double.NaN,
        result);
    assertThat(row.toCsv()).endsWith(",," + RoundRow.fmt(result.mutualInformation().correctedBits()) + ","
        + RoundRow.fmt(result.mutualInformation().surrogateMeanBits()) + ","
        + RoundRow.fmt(result.transferEntropy().correctedBits()) + ","
        + RoundRow.fmt(result.transferEntropy().surrogateMeanBits()));
    assertThat(row.toCsv().split(",", -1)).hasSameSizeAs(RoundRow.CSV_HEADER.split(","));
  }
}
