package io.oxbow.bench.serving;

import io.oxbow.lake.LakeLayout;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The year benchmark's baseline: DuckDB (in-process, JDBC) computing "requests and bytes by day and
 * country" straight from a view's minute-level batch files ({@code views/<view>/dt=*}{@code
 * /hour=*}{@code /*.parquet}, the roll-up tiers left out), decoding the exact metric states as the
 * {@code ViewMetric} contract describes them: {@code count} a format byte and an 8-byte big-endian
 * long, {@code sum} a format byte, a 4-byte scale and the unscaled value. Open once, query many
 * times; not thread-safe.
 */
final class MinuteFilesQuery implements AutoCloseable {
  private static final String SQL =
      """
      WITH m AS (
        SELECT window_start,
               list_filter(dims, lambda d: d.name = 'country')[1].value AS country,
               list_filter(metrics, lambda x: x.name = 'requests')[1].state AS rq,
               list_filter(metrics, lambda x: x.name = 'bytes')[1].state AS bs
        FROM read_parquet('%s', hive_partitioning = false)
        WHERE window_start >= epoch_ms(?::BIGINT) AND window_start < epoch_ms(?::BIGINT))
      SELECT epoch_ms(date_trunc('day', window_start)) AS day, country,
             sum(('0x' || substr(hex(rq), 3, 16))::BIGINT) AS requests,
             sum(('0x' || substr(hex(bs), 11))::BIGINT) AS bytes,
             max(('0x' || substr(hex(bs), 3, 8))::INTEGER) AS max_scale,
             min(('0x' || substr(hex(bs), 3, 8))::INTEGER) AS min_scale
      FROM m GROUP BY ALL ORDER BY ALL
      """;

  private final Connection connection;
  private final PreparedStatement statement;

  /** DuckDB over the minute files of {@code view} in the local lake at {@code lake}. */
  MinuteFilesQuery(Path lake, String view) throws SQLException {
    String glob =
        lake.resolve(LakeLayout.hourFilesGlob(LakeLayout.viewFolder(view)))
            .toString()
            .replace("'", "''");
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = connection.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
    }
    statement = connection.prepareStatement(SQL.formatted(glob));
  }

  /**
   * The rows for {@code [from, to)}, by day and country.
   *
   * @throws IllegalStateException when a {@code bytes} state has a scale other than 0 (sums of
   *     whole bytes have none; another scale would need decimal arithmetic this query does not do)
   */
  List<DayRow> query(Instant from, Instant to) throws SQLException {
    statement.setLong(1, from.toEpochMilli());
    statement.setLong(2, to.toEpochMilli());
    List<DayRow> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        if (rs.getInt("max_scale") != 0 || rs.getInt("min_scale") != 0) {
          throw new IllegalStateException("a bytes state with a scale other than 0");
        }
        rows.add(
            new DayRow(
                Instant.ofEpochMilli(rs.getLong("day")).toString(),
                rs.getString("country"),
                rs.getLong("requests"),
                new BigDecimal(rs.getString("bytes"))));
      }
    }
    rows.sort(DayRow.ORDER);
    return rows;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
