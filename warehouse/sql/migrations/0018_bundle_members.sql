-- Files that came in a zip bundle (issue 22): each report file a bundle of e-mail
-- attachments holds is a file of its own in source_files (its path: the bundle's path and
-- its place in the bundle joined by '/'), and here is where it came from.
create table bundle_members (
    sha256        varchar not null,  -- the member's own SHA-256 (source_files.sha256)
    path          varchar not null,  -- source_files.path: the bundle's path '/' member_path
    bundle_sha256 varchar not null,  -- the SHA-256 of the bundle file (the .zip as received)
    bundle_path   varchar not null,  -- the bundle file's path when it was read
    member_path   varchar not null,  -- the place in the bundle: folders and inner bundles
                                     -- joined by '/', names decoded as their writer wrote them
    primary key (sha256, path)
);
