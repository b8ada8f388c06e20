# read_def.py: KLayout batch script, an independent reader of the DEF files placer writes.
# Usage: klayout -b -r read_def.py -rd def=FILE.def -rd lefs=A.lef,B.lef -rd out=RESULT.txt
#        [-rd pins=1]
# Writes "dbu D", "instances N", then one line per instance: "NAME X_DBU Y_DBU", the lower-left
# corner of the instance's LEF outline (the DEF placement point), sorted by name. With pins=1
# it adds "pin INSTANCE PIN X_UM Y_UM" for each LEF pin label, placed by KLayout's own
# instance transformation (an independent check of orientation handling). LEF paths must be
# absolute (KLayout resolves relative ones against the DEF's folder). KLayout unescapes DEF
# names (\[ becomes [).
import pya

opts = pya.LoadLayoutOptions()
cfg = opts.lefdef_config
cfg.lef_files = [f for f in lefs.split(",") if f]
cfg.read_lef_with_def = False
cfg.macro_resolution_mode = 1  # take cell outlines from the LEF macros
cfg.produce_cell_outlines = True
cfg.cell_outline_layer = "OUTLINE"
cfg.instance_property_name = "name"
want_pins = "pins" in globals() and pins == "1"
if want_pins:
    cfg.produce_lef_pins = True
    cfg.produce_lef_labels = True
layout = pya.Layout()
layout.read(globals()["def"], opts)
top = layout.top_cell()
outline = None
for li in layout.layer_indexes():
    if layout.get_info(li).name == "OUTLINE":
        outline = li
rows = []
pin_rows = []
for inst in top.each_inst():
    name = inst.property("name")
    if name is None:
        continue
    box = inst.cell.bbox_per_layer(outline).transformed(inst.trans) if outline is not None else inst.bbox()
    rows.append((str(name), box.left, box.bottom))
    if want_pins:
        seen = set()
        for li in layout.layer_indexes():
            for sh in inst.cell.shapes(li).each():
                if sh.is_text() and sh.text.string not in seen:
                    seen.add(sh.text.string)
                    p = inst.trans * pya.Point(sh.text.x, sh.text.y)
                    pin_rows.append((str(name), sh.text.string, p.x * layout.dbu, p.y * layout.dbu))
rows.sort()
pin_rows.sort()
with open(out, "w") as f:
    f.write("dbu %.6g\n" % layout.dbu)
    f.write("instances %d\n" % len(rows))
    for r in rows:
        f.write("%s %d %d\n" % r)
    for r in pin_rows:
        f.write("pin %s %s %.6f %.6f\n" % r)
