"""Analysis jobs: submission, the pipeline (analyze -> explain -> store), runners and storage.

Modules: ``blobs`` (content-addressed file store), ``context`` (what a worker needs),
``submit`` (validate an upload and queue a job), ``pipeline`` (run one job), ``progress``
(heartbeat, progress writes and cancellation), ``caches`` (analysis and explanation caches in
the database), ``results`` (the stored result document), ``markdown`` (the report),
``local`` (in-process runner), ``celery_app`` (distributed runner and worker).
"""
