"""The projects domain over the API: the hierarchy, task actions, My work, dependencies and the timeline."""
