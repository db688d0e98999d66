package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundRowTest {

  @Test
  void aRowIsWrittenInTheHeadersOrderWithWholeNumbersBare() {
    RoundRow row = new RoundRow(3, 96, 0.5, "Q", 1.0, 1.0 / 3, 2, 40);
    assertThat(RoundRow.CSV_HEADER.split(",")).hasSize(8);
    assertThat(row.toCsv()).isEqualTo("3,96,0.500000,Q,1,0.333333,2,40");
  }

  @Test
  void aGameWithoutInventoriesLeavesTotalWordsEmpty() {
    assertThat(new RoundRow(0, 24, 0, "", 0, 0, 0, -1).toCsv()).isEqualTo("0,24,0,,0,0,0,");
  }
}
