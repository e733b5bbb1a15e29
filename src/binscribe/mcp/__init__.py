"""binscribe over the Model Context Protocol: :mod:`.server` (tools, resources, prompt),
:mod:`.views` (paginated slices of a job's result), :mod:`.paths` (which local files a client
may name), :mod:`.http` (the ``/mcp`` endpoint of the web service); ``binscribe mcp`` serves
stdio."""
