"""The admin of applications' models is registered by agencies (agencies/admin_pipeline.py),
which may read applications; applications never imports agencies."""
