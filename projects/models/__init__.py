"""The projects app's tables, one module per part of the schema."""

from projects.models.budget import ApprovedBudget, ProjectBudget
from projects.models.clusters import TaskCluster, TaskClusterTemplate
from projects.models.hierarchy import (
    Deliverable,
    Milestone,
    Project,
    ProjectStatus,
    Task,
    TaskType,
)
from projects.models.links import IsmsLink, RiskLink, SkillsCredit
from projects.models.timeline import DependencyType, GanttState, TaskDependency, TimelineCache, ZoomLevel

__all__ = [
    "ApprovedBudget",
    "Deliverable",
    "GanttState",
    "IsmsLink",
    "Milestone",
    "Project",
    "ProjectBudget",
    "ProjectStatus",
    "RiskLink",
    "SkillsCredit",
    "Task",
    "TaskCluster",
    "TaskClusterTemplate",
    "TaskDependency",
    "TaskType",
    "TimelineCache",
    "ZoomLevel",
    "DependencyType",
]
