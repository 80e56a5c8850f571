-- What the warehouse was last refreshed with (issue #16 follow-up): the digest of the views and
-- seeds a run applied. A run whose code carries other views or seeds refreshes them even when
-- no file is new (an edited activity dictionary, a newer sheet of published figures).
create table warehouse_state (
    key   varchar primary key,
    value varchar not null
);
