from archkit.cli.main import main

main(prog_name="archkit")
