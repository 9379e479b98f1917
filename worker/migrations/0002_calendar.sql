-- Government decisions per year (official Tết span, swapped days, extra days off): core's
-- `YearDecision` as JSON. Computed holidays need no rows; these override them.
CREATE TABLE calendar_decisions (
    year INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
