// An honest placeholder for a page whose backend is not built yet: no fake data.
import { Alert, AlertTitle, Typography } from "@mui/material";

export function ComingSoon({ title, children }: { title: string; children: string }) {
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        {title}
      </Typography>
      <Alert severity="info">
        <AlertTitle>Coming</AlertTitle>
        {children}
      </Alert>
    </>
  );
}
