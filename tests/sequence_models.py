"""Model sources shared by the sequence tests: hostile labels, a looping trace, two publishers of one event."""

HOSTILE = '''
from archkit import Event, Workspace

ws = Workspace("Hostile")
user = ws.person('Ива́н "the user" 🙂', "says end")
system = ws.system("Sys")
app = system.container('App\\nend\\n@enduml', "x", technology='Tech $x %date() ; #1 <script>alert(1)</script>')
db = system.container("DB \\\\ back\\\\slash", kind="database")
bus = system.broker("Bus", kind="rabbitmq")
ex = bus.exchange("ex;#end", type="fanout")
q = bus.queue("q%$!include", bind=ex)
user.uses(app, "uses")
app.uses(db, "stores", technology="SQL; #; end")


class Заказ(Event):
    """A Cyrillic event."""


app.publishes(Заказ, on=ex)
app.consumes(Заказ, on=q)
app.reacts(Заказ, "react: else ; # end")

flow = ws.flow('Flow "one" end', 'line one\\nline two; #3 @enduml !include <C4/C4_Dynamic> $x %date()')
flow.call(user, app, 'click "go"\\n@enduml\\n!include /etc/passwd')
flow.call(app, db, "end")
flow.reply(db, app, "else")
flow.note(app, "note; # %date() <b>bold</b> **x** \\\\n")
with flow.alt():
    with flow.case("end"):
        flow.publish(app, Заказ)
        flow.trace(Заказ)
    with flow.case('else "x" ; #'):
        flow.note(app, "нет")
with flow.parallel():
    with flow.branch("and"):
        flow.call(app, db, "par end")
    with flow.branch("@enduml"):
        flow.reply(db, app, "ok")
'''

LOOP = '''
from archkit import Event, Workspace

ws = Workspace("Loop")
sys_ = ws.system("S")
a = sys_.container("A")
b = sys_.container("B")
k = sys_.broker("K", kind="kafka")
t = k.topic("t")


class Ping(Event):
    """ping"""


class Pong(Event):
    """pong"""


a.publishes(Ping, on=t)
b.publishes(Pong, on=t)
b.consumes(Ping, on=t)
a.consumes(Pong, on=t)
b.reacts(Ping, "answer", publishes=[Pong])
a.reacts(Pong, "answer", publishes=[Ping])
flow = ws.flow("Ping pong")
flow.publish(a, Ping)
flow.trace(Ping)  # <--
'''

TWO_PUBLISHERS = '''
from archkit import Event, Workspace

ws = Workspace("Two")
s = ws.system("S")
a = s.container("A")
b = s.container("B")
c = s.container("C")
k = s.broker("K", kind="kafka")
t = k.topic("t")


class Done(Event):
    """done"""


a.publishes(Done, on=t)
b.publishes(Done, on=t)
c.consumes(Done, on=t)
c.reacts(Done, "Archive")
'''
