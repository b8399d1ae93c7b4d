using Maran.Instrument.Tool;

return MaranTool.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariables());
