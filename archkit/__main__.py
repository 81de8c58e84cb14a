from archkit.cli import main

main(prog_name="archkit")
