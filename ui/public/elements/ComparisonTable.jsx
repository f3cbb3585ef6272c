// A side-by-side comparison: first column the attribute, then one column per product.
export default function ComparisonTable() {
  const columns = props.columns || [];
  const rows = props.rows || [];
  const cell = { padding: "6px 10px", borderBottom: "1px solid rgba(127,127,127,0.2)",
                 textAlign: "left", verticalAlign: "top" };
  return (
    <div style={{ overflowX: "auto", maxWidth: "100%" }}>
      <table data-testid="comparison-table"
             style={{ borderCollapse: "collapse", fontSize: 14, minWidth: 320 }}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} style={{ ...cell, fontWeight: 700 }}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((value, c) => (
                <td key={c} style={{ ...cell, fontWeight: c === 0 ? 600 : 400 }}>{value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
