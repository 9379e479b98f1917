-- The return's way to the applicant is a fact of the history, not a sentence (#16): pages word
-- it in their language (core's workflow::HandedOver). The sentences stored so far become it.
ALTER TABLE dossier_events ADD COLUMN handed_over TEXT;
UPDATE dossier_events SET handed_over = 'by_post', note = NULL WHERE action = 'return' AND note = 'Gửi kết quả qua bưu chính';
UPDATE dossier_events SET handed_over = 'at_desk', note = NULL WHERE action = 'return' AND note = 'Trả kết quả trực tiếp';
