from django.urls import path

from projects.views import gantt, hierarchy, portfolio, work

app_name = "projects"

urlpatterns = [
    path("projects/", portfolio.project_list, name="list"),
    path("projects/new/", hierarchy.create, {"level": "project"}, name="project_create"),
    path("projects/<int:pk>/", hierarchy.project_detail, name="project"),
    path("projects/<int:parent_pk>/milestones/new/", hierarchy.create, {"level": "milestone"}, name="milestone_create"),
    path("milestones/<int:parent_pk>/deliverables/new/", hierarchy.create, {"level": "deliverable"},
         name="deliverable_create"),
    path("deliverables/<int:pk>/", hierarchy.deliverable_detail, name="deliverable"),
    path("deliverables/<int:pk>/task-rows/", hierarchy.deliverable_task_rows, name="deliverable_task_rows"),
    path("deliverables/<int:parent_pk>/tasks/new/", hierarchy.create, {"level": "task"}, name="task_create"),
    path("tasks/<int:pk>/", hierarchy.task_detail, name="task"),
    path("tasks/<int:pk>/status/", work.task_status, name="task_status"),
    path("tasks/<int:pk>/progress/", work.task_progress, name="task_progress"),
    path("projects/<int:pk>/gantt/", gantt.project_gantt, name="gantt"),
    path("projects/<int:pk>/gantt/move/", gantt.move_bar, name="gantt_move"),
    path("projects/<int:pk>/gantt/rows/", gantt.gantt_rows, name="gantt_rows"),
    path("projects/<int:pk>/gantt/table/", gantt.gantt_table, name="gantt_table"),
    path("projects/<int:pk>/gantt.svg", gantt.gantt_svg, name="gantt_svg"),
    path("projects/<int:pk>/gantt.csv", gantt.gantt_csv, name="gantt_csv"),
    path("gantt/", gantt.portfolio_gantt, name="portfolio_gantt"),
    path("gantt/rows/", gantt.portfolio_gantt_rows, name="portfolio_gantt_rows"),
    path("tasks/<int:pk>/dependencies/", gantt.dependency_add, name="dependency_add"),
    path("dependencies/<int:pk>/delete/", gantt.dependency_remove, name="dependency_remove"),
    path("my-work/", work.my_work, name="my_work"),
    path("board/", work.board, name="board"),
    path("board/move/", work.board_move, name="board_move"),
]  # fmt: skip

for level in ("project", "milestone", "deliverable", "task"):
    urlpatterns += [
        path(f"{level}s/<int:pk>/{action}/", getattr(hierarchy, action), {"level": level}, name=f"{level}_{action}")
        for action in ("edit", "delete", "restore", "move")
        if not (level == "project" and action == "move")  # projects are not ordered among themselves
    ]
