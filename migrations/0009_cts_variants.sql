-- Kiln schema, part 9: the variants of each tracked compose (the keys of `payload.variants` in its composeinfo), so
-- a `.repo` file is only made for a variant the compose has. NULL for composes imported before this column existed:
-- for those the variants of their recorded RPM list count.

ALTER TABLE cts_composes ADD COLUMN variants varchar[];
