-- Upload while recording: a multipart upload whose final size nobody knows in advance. The browser asks for one part
-- URL at a time as MediaRecorder produces data (each URL signs its part's exact length); the uploads function keeps
-- the campaign's size cap and the answer window at every part request and at complete. Such an upload is marked
-- is_streaming and has no planned part count (0) until it completes.

alter table private.multipart_uploads
  add column is_streaming boolean not null default false,
  drop constraint multipart_uploads_part_count_check,
  add constraint multipart_uploads_part_count_check
    check (part_count between 1 and 10000 or (is_streaming and part_count = 0));

comment on column private.multipart_uploads.is_streaming is
  'Uploaded while recording: the size is unknown until complete, and parts are signed one at a time.';
