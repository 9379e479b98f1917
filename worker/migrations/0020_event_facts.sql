-- A history line's facts (#16): what a step records besides the typed comment — the papers a
-- supplement request asks for, an apology's new date, the result's number and date, how the
-- result was handed over — as JSON (core's workflow::EventFacts) that each page words in its
-- language. Until now they were appended to the note as Vietnamese sentences; those become
-- facts here, and the note keeps only what was typed.
ALTER TABLE dossier_events ADD COLUMN facts TEXT;

UPDATE dossier_events SET facts = '{"handed_over":"by_post"}', note = NULL
WHERE action = 'return' AND note = 'Gửi kết quả qua bưu chính';
UPDATE dossier_events SET facts = '{"handed_over":"at_desk"}', note = NULL
WHERE action = 'return' AND note = 'Trả kết quả trực tiếp';

-- "Kết quả số <number>, ngày dd/mm/yyyy" (the number starts at the 12th character).
UPDATE dossier_events
SET facts = json_object(
        'result_number', substr(note, 12, instr(note, ', ngày ') - 12),
        'result_date', substr(note, -4) || '-' || substr(note, -7, 2) || '-' || substr(note, -10, 2)),
    note = NULL
WHERE action = 'record_result' AND note LIKE 'Kết quả số %, ngày __/__/____';

-- "<typed> — Hẹn trả mới: HH:MM ngày dd/mm/yyyy" (the date and time are the last 21 characters).
UPDATE dossier_events
SET facts = json_object('new_due',
        substr(note, -4) || '-' || substr(note, -7, 2) || '-' || substr(note, -10, 2) || 'T' || substr(note, -21, 5) || ':00'),
    note = NULLIF(substr(note, 1, instr(note, ' — Hẹn trả mới: ') - 1), '')
WHERE action = 'apologize' AND instr(note, ' — Hẹn trả mới: ') > 0;

-- "<typed> — Cần bổ sung: a; b" (the marker is 16 characters); names holding a quote or a
-- backslash stay in the note as they were.
UPDATE dossier_events
SET facts = json_object('missing', json('["' || replace(substr(note, instr(note, ' — Cần bổ sung: ') + 16), '; ', '","') || '"]')),
    note = NULLIF(substr(note, 1, instr(note, ' — Cần bổ sung: ') - 1), '')
WHERE action = 'request_supplement' AND instr(note, ' — Cần bổ sung: ') > 0
  AND instr(note, '"') = 0 AND instr(note, char(92)) = 0;
