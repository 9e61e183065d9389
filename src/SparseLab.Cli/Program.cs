// Entry point of ./sparselab.
return SparseLab.Cli.CliApp.Run(args);
