"""Report forms as data (R21) and their engine: named metrics aggregated in SQL per agency,
rows of the chosen scope with subtotals, the MS-row checks, Excel rendering (R8, R24)."""
