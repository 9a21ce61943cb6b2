"""Writes a plan with MPXJ (the library most planning tools use to read and write MS Project files), as another tool
would: `python mpxj_plan.py write OUT.xml`; or reads a file as those tools would and prints what they see as JSON:
`python mpxj_plan.py read IN.xml`. Run in its own process by test_mpxj.py, since a Java VM cannot be stopped and
started again within one process.

The outline is deeper and shallower than PIT's three levels on purpose:

    Civil works                  summary, level 1
      Excavation                 summary, level 2
        Dig trench               2026-04-06 – 04-10, 100 %, CAPEX 2,500.50, Sam
        Lay pipe                 04-13 – 04-17, 30 %, after Dig trench + 2 days
        Checks                   summary, level 3
          Pressure test          04-20 – 04-21, after Lay pipe
      Backfill                   level 2 task, no deliverable above it
    Sign-off                     level 1 task, start-to-start after Backfill
"""

import json
import sys

import jpype
import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)


def write(out: str) -> None:
    from java.lang import Double
    from java.time import LocalDateTime
    from org.mpxj import Duration, ProjectFile, Relation, RelationType, TaskField, TimeUnit
    from org.mpxj.mspdi import MSPDIWriter

    project = ProjectFile()
    project.getProjectProperties().setProjectTitle("Trunk main")
    project.getCustomFields().getOrCreate(TaskField.COST1).setAlias("CAPEX")
    sam = project.addResource()
    sam.setName("Sam Field")
    sam.setEmailAddress("sam@harbour.example")

    def task(parent, name, start=None, finish=None, done=0):
        item = parent.addTask()
        item.setName(name)
        if start:
            item.setStart(LocalDateTime.parse(f"{start}T08:00:00"))
            item.setFinish(LocalDateTime.parse(f"{finish}T17:00:00"))
            item.setDuration(Duration.getInstance(5, TimeUnit.DAYS))
            item.setPercentageComplete(Double(done))
        return item

    def link(predecessor, successor, kind=RelationType.FINISH_START, lag_days=0):
        lag = Duration.getInstance(lag_days, TimeUnit.DAYS)
        successor.addPredecessor(Relation.Builder().predecessorTask(predecessor).type(kind).lag(lag))

    civil = task(project, "Civil works")
    excavation = task(civil, "Excavation")
    dig = task(excavation, "Dig trench", "2026-04-06", "2026-04-10", 100)
    dig.set(TaskField.COST1, Double(2500.5))
    dig.addResourceAssignment(sam)
    lay = task(excavation, "Lay pipe", "2026-04-13", "2026-04-17", 30)
    checks = task(excavation, "Checks")
    pressure = task(checks, "Pressure test", "2026-04-20", "2026-04-21")
    backfill = task(civil, "Backfill", "2026-04-22", "2026-04-24")
    sign_off = task(project, "Sign-off", "2026-04-27", "2026-04-27")
    link(dig, lay, lag_days=2)
    link(lay, pressure)
    link(backfill, sign_off, kind=RelationType.START_START)
    MSPDIWriter().write(project, out)


def read(path: str) -> None:
    from org.mpxj import TimeUnit
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(path)
    tasks = []
    for task in project.getTasks():
        if task.getUniqueID() is None or int(task.getUniqueID()) == 0:
            continue
        links = [[str(link.getPredecessorTask().getName()), str(link.getType()),
                  float(link.getLag().convertUnits(TimeUnit.DAYS, project.getProjectProperties()).getDuration())]
                 for link in task.getPredecessors()]  # fmt: skip
        owners = [str(a.getResource().getEmailAddress()) for a in task.getResourceAssignments() if a.getResource()]
        tasks.append({"name": str(task.getName()), "level": int(task.getOutlineLevel()),
                      "start": str(task.getStart())[:10], "finish": str(task.getFinish())[:10],
                      "percent": float(task.getPercentageComplete() or 0), "summary": bool(task.getSummary()),
                      "links": links, "owners": owners})  # fmt: skip
    print(json.dumps(tasks))


if __name__ == "__main__":
    jpype.startJVM()
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])
