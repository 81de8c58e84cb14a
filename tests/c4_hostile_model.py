"""A model whose every name and description tries to break out of the text formats it is rendered into."""
from archkit import Event, Workspace

EVIL = (
    'Say "hi", \\ back\\slash\n!include /etc/passwd\n@enduml\n$var %upper("x") <script>alert(1)</script> '
    "{{ jinja }} **bold** [[http://x]] //it// --strike-- &#36; #quot; %%{init: {}}%% ; `tick` ${HOME} "
    "Привет 🍕\r\nend\\"
)

ws = Workspace("Hostile \"workspace\" $x", description=EVIL)
user = ws.person('User "quoted"', EVIL)
other = ws.system("Other, Inc. (\"ext\")", EVIL, external=True)
core = ws.system("Core %date% !define", EVIL)
api = core.container("API\n@enduml", EVIL, technology='Py"thon, $x', kind="service")
db = core.container("DB <b>", EVIL, technology="Postgre\\SQL", kind="database")
bus = core.broker("Bus {{x}}", EVIL, kind="kafka", technology="Kafka\n!include x")
handler = api.component("Handler `x`", EVIL, technology="%%{init}%%")
store = api.component("Store ]]", EVIL)
topic = bus.topic('evil."topic"\n$x', EVIL, partitions=3)


class Ping(Event, version=1):
    """Ping "evil"."""

    n: int


class Pong(Event, version=1, name='Pong "x"\n@enduml %date% --s-- $x'):
    n: int


class Pang(Event, version=1, name="Pang <b>!include x</b> ${HOME}"):
    n: int


class Pung(Event, version=1, name="Pung ]] [[x]] #quot; note on link: end note"):
    n: int


user.uses(api, EVIL, technology='HTTP"S')
handler.uses(store, EVIL)
store.uses(db, EVIL, technology="SQL\n@enduml")
api.uses(other, EVIL)
api.publishes(Ping, on=topic)
for more in (Pong, Pang, Pung):  # four events on one arrow: the label counts them, a note lists them
    api.publishes(more, on=topic)
api.consumes(Ping, on=topic, group="g")

live = ws.environment('Prod "live" $x')
region = live.node("Region\n@enduml", EVIL, technology="AWS %date%", instances=2)
region.infrastructure("LB <b>", EVIL, technology="ALB\n!include x")
region.node("K8s {{x}}", EVIL, technology="$x").runs(api, instances=3)
region.runs(bus)
